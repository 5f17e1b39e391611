// Durability: the receiver answers 200 only once a notification is committed. SQLite runs in WAL mode with
// synchronous=NORMAL: a commit is in the WAL file (in the operating system's hands) before the answer, so killing
// the process loses nothing; only an OS crash or power cut could lose the last commits. This test sends 500 alerts
// to a receiver process, SIGKILLs it the moment the last 200 arrives, restarts it on the same data directory and
// finds all 500 stored exactly once; Alertmanager's retries of all of them change nothing.
//
// Needs `npm run build`: the process is `vigil receiver` from dist/.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, listeningPort } from '../../helpers/vigil-process.js';
import { waitFor } from '../../helpers/wait-for.js';
import { alert, down, notification } from './payloads.js';
import type { AlertPage, AlertView } from './receiver-harness.js';

const ADMIN_TOKEN = 'durability-admin';
const ALERTS = 500;
const CONCURRENCY = 8;

let dir: string;
let running: ChildProcess | undefined;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first');
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-durability-'));
  await writeFile(
    path.join(dir, 'checks.yml'),
    'checks:\n  - {id: api_root, endpoint: {url: "http://127.0.0.1:9/"}}\n',
  );
});

afterAll(async () => {
  running?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function startProcess(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(
    process.execPath,
    [CLI, 'receiver', '--config-dir', dir, '--data-dir', path.join(dir, 'data'), '--receiver-listen', '127.0.0.1:0'],
    // Info level for the "receiver listening" line, which names the port the system chose.
    {
      env: { ...process.env, VIGIL_ADMIN_TOKEN: ADMIN_TOKEN, VIGIL_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running = child;
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  let url = '';
  await waitFor(
    async () => {
      const port = listeningPort(text, 'receiver');
      if (port === undefined) return false;
      url = `http://127.0.0.1:${port}`;
      return (await fetch(`${url}/-/ready`)).ok;
    },
    15_000,
    () => `receiver not ready:\n${text}`,
  );
  return { child, url, output: () => text };
}

const payloadFor = (index: number) =>
  notification([
    alert({
      labels: { ...down(`check_${index}`), instance: `host-${index}` },
      startsAt: Date.UTC(2025, 4, 6, 8) + index,
    }),
  ]);

/** Sends every payload, CONCURRENCY at a time; resolves with the statuses once the last answer is in. */
async function sendAll(url: string, onLast?: () => void): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < ALERTS) {
      const index = next++;
      const response = await fetch(`${url}/api/v1/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payloadFor(index)),
      });
      await response.arrayBuffer();
      statuses[index] = response.status;
      done += 1;
      if (done === ALERTS) onLast?.();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return statuses;
}

async function storedAlerts(url: string): Promise<AlertView[]> {
  const response = await fetch(`${url}/api/v1/alerts?limit=1000`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return ((await response.json()) as AlertPage).alerts;
}

it('keeps all 500 accepted alerts, exactly once, through a SIGKILL right after the last answer', async () => {
  const first = await startProcess();
  const killed = new Promise<NodeJS.Signals | null>((resolve) =>
    first.child.once('exit', (_code, signal) => resolve(signal)),
  );
  const statuses = await sendAll(first.url, () => first.child.kill('SIGKILL'));
  expect(statuses.filter((status) => status === 200)).toHaveLength(ALERTS);
  expect(await killed).toBe('SIGKILL');

  const second = await startProcess();
  const alerts = await storedAlerts(second.url);
  expect(alerts).toHaveLength(ALERTS);
  const checks = new Set(alerts.map((each) => each.check));
  expect(checks.size).toBe(ALERTS);
  for (let index = 0; index < ALERTS; index += 1) expect(checks.has(`check_${index}`)).toBe(true);
  expect(alerts.every((each) => each.state === 'active' && each.notification_count === 1)).toBe(true);

  // Alertmanager retries what it did not see answered: every retry is a duplicate.
  expect((await sendAll(second.url)).every((status) => status === 200)).toBe(true);
  expect(await storedAlerts(second.url)).toHaveLength(ALERTS);
  // Enrichment of what was accepted before the kill resumes from the store after the restart.
  await waitFor(async () => (await storedAlerts(second.url)).every((each) => !each.enrichment_pending), 15_000);

  second.child.kill('SIGTERM');
  const code = await new Promise((resolve) => second.child.once('exit', (exitCode) => resolve(exitCode)));
  expect(code).toBe(0);
}, 120_000);
