// tsc writes dist/ files 0644. `npx zsc-bench` links the bin through npm's npx cache, which
// chmods the target only when it first creates that link; a later clone at the same path
// (CI) reuses the link and would hit "Permission denied". So every build marks the bins itself.
import { chmodSync, readFileSync } from 'node:fs';

const { bin } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const target of Object.values(typeof bin === 'string' ? { bin } : bin)) chmodSync(target, 0o755);
