/**
 * The layers of src/, top to bottom. A module may import its own layer and any layer below it,
 * never one above: `npm test` runs `depcruise` with this file, so an upward import fails the build.
 * README.md "Map of the code" says what each folder is for.
 */
const LAYERS = [
  ['cli', 'index.ts'],
  ['commands'],
  ['shell'],
  ['server'],
  ['report'],
  ['format'],
  ['compare'],
  ['load'],
  ['runner'],
  ['profiles'],
  ['dataset'],
  ['io'],
  ['schema'],
  ['model-store'],
  ['core'],
  ['models'],
  ['env'],
  ['stats'],
  ['base'],
];

const pathOf = (names) => `^src/(${names.map((name) => name.replace('.', '\\.')).join('|')})(/|$)`;

const upward = LAYERS.slice(1).map((names, index) => ({
  name: `layer-${names[0]}`,
  comment: `src/${names[0]} may not import a layer above it (${LAYERS.slice(0, index + 1).flat().join(', ')})`,
  severity: 'error',
  from: { path: pathOf(names) },
  to: { path: pathOf(LAYERS.slice(0, index + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-cycles',
      comment: 'modules must not depend on each other in a circle',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-not-to-tests-or-benchmarks',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-undeclared-package',
      comment: 'a package that src/ or bench/ imports must be listed in package.json, not arrive through another package',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'src-not-to-dev-dependency',
      comment: 'src/ is what users install: its runtime imports must be dependencies, not devDependencies',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'an import that cannot be resolved cannot be checked against package.json either',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve packages as Node does for ESM (the `exports` map's import condition), so subpaths
    // like csv-parse/sync resolve and the package.json rules above can see them.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
};
