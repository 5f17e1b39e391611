// `npm run bench [-- --quick] [NAME...]`: runs every benchmark in this folder in turn (or those whose file name
// contains a NAME), passing the flags on, one at a time so no two load the machine together. Each prints its
// figures beside a baseline measured in the same run; this prints their goal lines again at the end, with the time
// each benchmark took. Exits 1 when a benchmark fails (crashes or finds wrong results), not when a goal is missed.
// A full run waits SETTLE_S between benchmarks: right after the ingest benchmark (both cores busy for two minutes)
// the next one measured Vigil's probe cost 0.66 CPU-ms per probe in its first window, 0.47 after a 30 s pause.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SETTLE_S = 30;
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.mjs') && file !== 'run.mjs')
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

/** Runs one benchmark, echoing its output, and returns its exit code and the goal lines it printed. */
function run(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, file), ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
    const goals = [];
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      goals.push(...lines.filter((line) => line.startsWith('GOAL ')));
    });
    child.on('close', (code) => resolve({ code, goals }));
  });
}

console.log(
  `${new Date().toISOString()}  ${os.cpus().length} CPUs, Node ${process.version}, load average ${os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
const started = performance.now();
const summary = [];
let failed = 0;
for (const [index, file] of benches.entries()) {
  if (index > 0 && !flags.includes('--quick')) await new Promise((resolve) => setTimeout(resolve, SETTLE_S * 1000));
  console.log(`\n## ${file}`);
  const benchStarted = performance.now();
  const { code, goals } = await run(file);
  const seconds = (performance.now() - benchStarted) / 1000;
  if (code !== 0) {
    failed++;
    console.log(`${file} failed with exit code ${code}`);
  }
  summary.push(
    `${file} (${seconds.toFixed(0)} s${code === 0 ? '' : `, FAILED with exit code ${code}`})`,
    ...goals.map((line) => `  ${line}`),
  );
}
console.log(`\n## summary (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
console.log(summary.join('\n'));
process.exitCode = failed === 0 ? 0 : 1;
