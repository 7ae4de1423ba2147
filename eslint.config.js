// ESLint (flat config): typescript-eslint's recommended type-checked rules on src/, bench/, test/.
// `npm run lint` runs it alone; `npm test` runs it before vitest.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build output, and what zsc-bench writes into a clone (results, models, datasets).
  globalIgnores(['dist/', 'coverage/', 'test-artifacts/', 'results/', 'models/', 'datasets/']),
  // A disable comment that no longer silences anything fails the lint, so none outlive their reason.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // One program for everything: tsconfig.test.json is tsconfig.json (src, bench) plus the
        // tests, with the same compiler options, so each file is checked as `npm run typecheck` does.
        project: './tsconfig.test.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Off on purpose: `async` here means "returns a promise, and a throw is a rejection". Every
      // command has the one signature (flags, io) => Promise<ExitCode> whether or not it awaits,
      // and test doubles implement async interfaces; dropping `async` from those would turn a
      // thrown UsageError into a synchronous throw, a change of behaviour for their callers.
      '@typescript-eslint/require-await': 'off',
      // The code's convention for what is left out on purpose: `_`-named parameters that a
      // signature needs, and destructured fields dropped from a copy (`{ hostname: _h, ...rest }`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Plain JavaScript that no tsconfig covers: the page's script and the tool configs. The
    // untyped recommended rules still catch undefined names and unused variables there.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // The served page: a browser script, loaded as a classic <script> (its 'use strict' says so).
    files: ['src/server/static/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  {
    // The tool configs at the top (this file, .dependency-cruiser.cjs) run in Node.
    files: ['*.js', '*.cjs', '*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
