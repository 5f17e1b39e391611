// Shared helpers of the benchmarks: child processes, CPU and memory read from /proc, pacing at a fixed rate,
// quantiles, and the one line per goal that every benchmark prints (figure, baseline, ratio, goal, PASS or MISS).

import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LIB = path.dirname(fileURLToPath(import.meta.url));

/** Clock ticks per second of /proc/PID/stat (USER_HZ); 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

export function parseFlags(argv = process.argv.slice(2)) {
  return { quick: argv.includes('--quick') };
}

/** User and system CPU seconds of a whole process (every thread, the ones already ended included). */
export function cpuTimes(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself hold spaces: state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

export function cpuSeconds(pid) {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** Resident set size in MB. */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true or the deadline passes. */
export async function waitFor(what, probe, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Polls `check` (answers `{ count, done }`) every `everyMs` until it is done or its count has not moved for `stallMs`,
 * for draining a backlog that has no fixed deadline. Answers the last answer, the time taken and whether it stalled.
 */
export async function untilDoneOrStalled(check, { stallMs, everyMs = 100 }) {
  const started = performance.now();
  let lastCount;
  let lastProgress = started;
  for (;;) {
    const answer = await check();
    const ms = performance.now() - started;
    if (answer.done) return { answer, ms, stalled: false };
    if (answer.count !== lastCount) {
      lastCount = answer.count;
      lastProgress = performance.now();
    } else if (performance.now() - lastProgress > stallMs) {
      return { answer, ms, stalled: true };
    }
    await sleep(everyMs);
  }
}

/**
 * A Node child speaking over IPC: it sends `{ ready: ... }` once started, answers `{ ask, id }` with `{ id, answer }`.
 * `nodeArgs` go to node itself (e.g. --cpu-prof).
 */
export async function startWorker(script, args = [], { nodeArgs = [], env = {} } = {}) {
  const child = fork(path.join(LIB, script), args, {
    execArgv: nodeArgs,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let nextId = 0;
  const ready = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (message) => {
      if (message.ready) resolve(message.ready);
      if (message.id !== undefined) pending.get(message.id)?.(message.answer);
    });
  });
  return {
    pid: child.pid,
    ready,
    ask(question, timeoutMs = 60_000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${script} did not answer ${JSON.stringify(question)}`)),
          timeoutMs,
        );
        pending.set(id, (answer) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(answer);
        });
        child.send({ ...question, id });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The end of a child started with startWorker: on SIGTERM, or when its parent goes, runs `close` once and exits. */
export function exitWhenStopped(close) {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
}

/** Starts a non-Node program and stops it with SIGTERM. */
export function startProgram(file, args) {
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Calls `fire(plannedAt)` `rate` times a second, evenly, for `durationMs` (and never more than `rate * duration`
 * times); `plannedAt` is the performance.now() each call was due, so the caller can measure its own lag.
 */
export async function pace(rate, durationMs, fire) {
  const started = performance.now();
  const total = Math.floor((rate * durationMs) / 1000);
  let fired = 0;
  while (fired < total) {
    const elapsed = performance.now() - started;
    if (elapsed > durationMs + 1_000) break;
    const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
    for (; fired < due; fired++) fire(started + (fired * 1000) / rate);
    await sleep(Math.max(1, (fired * 1000) / rate - (performance.now() - started)));
  }
  return fired;
}

/** The value below which a fraction `q` of the sorted `values` lies. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Prints one goal: the figure, the baseline measured in the same run, their ratio, the goal and PASS or MISS.
 * `baseline` and `ratio` may be omitted where the goal is absolute. `notJudged`: why this run's size says nothing
 * about the goal; the line then reads `GOAL N/A` with that reason instead of PASS or MISS.
 */
export function goal({ name, figure, baseline, ratio, target, pass, notJudged }) {
  const parts = [`figure ${figure}`];
  if (baseline !== undefined) parts.push(`baseline ${baseline}`);
  if (ratio !== undefined) parts.push(`ratio ${Number.isFinite(ratio) ? ratio.toFixed(2) : ratio}x`);
  const verdict = notJudged ? 'N/A ' : pass ? 'PASS' : 'MISS';
  const because = notJudged ? ` (${notJudged})` : '';
  console.log(`GOAL ${verdict} | ${name} | ${parts.join(' | ')} | goal ${target}${because}`);
}

export const fmt = {
  ms: (value) => (Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms` : String(value)),
  mb: (value) => `${value.toFixed(1)} MB`,
  int: (value) => Math.round(value).toLocaleString('en-US'),
  pct: (value) => `${(value * 100).toFixed(1)} %`,
};

/** Writes checks.yml (`count` HTTP checks of `url`, ids c0…) and config.yml into `dir`. */
export function writeVigilConfig(dir, { count, interval, timeout = '5s', url, config = '' }) {
  const lines = ['checks:'];
  for (let i = 0; i < count; i++)
    lines.push(`  - {id: c${i}, interval: ${interval}, timeout: ${timeout}, endpoint: {url: "${url}"}}`);
  writeFileSync(path.join(dir, 'checks.yml'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(dir, 'config.yml'), config);
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), `vigil-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
