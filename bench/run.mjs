// `npm run bench [-- --quick]`: runs every benchmark in this folder in turn, passing the arguments on.
// Each prints its figures beside a baseline measured in the same run.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.mjs') && file !== 'run.mjs')
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n## ${file}`);
  const run = spawnSync(process.execPath, [path.join(here, file), ...flags], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.log(`${file} failed with exit code ${run.status}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
