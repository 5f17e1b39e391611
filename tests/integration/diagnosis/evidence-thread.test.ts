// The receiver's evidence thread over a real SQLite store (the built worker, as `vigil start` runs it): it answers
// the same evidence the main thread's gatherEvidence reads, sees a reload's checks, and keeps answering when the
// thread cannot start or dies (the main thread reads then, and a thread that had run is started again).

import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../../src/diagnosis/index.js';
import { EvidenceThread } from '../../../src/receiver/diagnosis/evidence-thread.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import type { LogLine } from '../../helpers/log-lines.js';
import { tcpCheck } from '../../helpers/checks.js';
import { makeTempDir } from '../../helpers/temp-dirs.js';
import { REPO_ROOT } from '../../helpers/vigil-process.js';
import { waitFor } from '../../helpers/wait-for.js';
import { HOUR, history, MINUTE, NOW, seed, subjectFor } from './scenarios.js';

const BUILT_WORKER = new URL(`file://${path.join(REPO_ROOT, 'dist/receiver/diagnosis/evidence-worker.js')}`);
const CRASHING_WORKER = new URL('../../fixtures/workers/crashing-evidence-worker.mjs', import.meta.url);

const REFUSED = { status: 'down', reason: 'connect', message: 'connect ECONNREFUSED 10.0.0.7:5432' } as const;
const checks = [
  tcpCheck('10.0.0.7', 5432, { id: 'db_port', component: 'db', service: 'orders' }),
  tcpCheck('10.0.0.7', 6379, { id: 'cache_port', component: 'cache', service: 'orders' }),
];
const context = { checks, maintenance: [], now: NOW };

let store: SqliteStore | undefined;
let thread: EvidenceThread | undefined;

afterEach(async () => {
  await thread?.stop();
  await store?.close();
  thread = undefined;
  store = undefined;
});

/** Both checks refused for the last ten minutes of two hours probed every minute. */
async function seeded(): Promise<SqliteStore> {
  store = await SqliteStore.open(path.join(makeTempDir('vigil-evidence-thread'), 'vigil.db'));
  const refusedLately = (at: number) => (at >= NOW - 10 * MINUTE ? REFUSED : undefined);
  await seed(store, [
    ...history('db_port', NOW - 2 * HOUR, NOW, MINUTE, refusedLately),
    ...history('cache_port', NOW - 2 * HOUR, NOW, MINUTE, refusedLately),
  ]);
  return store;
}

function startThread(options: { store: SqliteStore; workerUrl: URL; file?: string }): { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  thread = new EvidenceThread({
    file: options.file ?? options.store.file,
    store: options.store,
    logger,
    workerUrl: options.workerUrl,
  });
  thread.start();
  return { lines };
}

/** A thread started and ready. */
async function runningThread(options: { store: SqliteStore; workerUrl: URL }): Promise<{ lines: LogLine[] }> {
  const started = startThread(options);
  await waitFor(
    () => thread!.running,
    10_000,
    () => 'the evidence thread to be ready',
  );
  return started;
}

const said = (lines: LogLine[], msg: RegExp): number => lines.filter((line) => msg.test(line.msg)).length;

describe('EvidenceThread', () => {
  it('answers the evidence the main thread reads, and a reload’s checks', async () => {
    const store = await seeded();
    await runningThread({ store, workerUrl: BUILT_WORKER });

    const inThread = await thread!.gather(subjectFor('db_port'), context);
    expect(inThread).toEqual(await gatherEvidence(subjectFor('db_port'), { store, ...context }));
    expect(inThread.checks[0]?.recent.at(-1)).toMatchObject({ status: 'down', message: REFUSED.message });
    expect(inThread.checks[0]?.coFailing.map((other) => other.checkId)).toEqual(['cache_port']);

    // A reload without cache_port: the thread is told, and no longer lists it beside db_port.
    const reloaded = { ...context, checks: [checks[0]!] };
    const afterReload = await thread!.gather(subjectFor('db_port'), reloaded);
    expect(afterReload).toEqual(await gatherEvidence(subjectFor('db_port'), { store, ...reloaded }));
    expect(afterReload.checks[0]?.coFailing).toEqual([]);
  });

  it('reads on the main thread while a thread that died restarts', async () => {
    const store = await seeded();
    const { lines } = await runningThread({ store, workerUrl: CRASHING_WORKER });

    const crashing = subjectFor('db_port');
    const subject = { ...crashing, labels: { ...crashing.labels, crash: 'yes' } };
    const answered = await thread!.gather(subject, context);
    expect(answered).toEqual(await gatherEvidence(subject, { store, ...context }));
    expect(said(lines, /evidence thread exited; restarting it/)).toBe(1);

    await waitFor(
      () => said(lines, /evidence thread ready/) === 2 && thread!.running,
      10_000,
      () => 'a restart',
    );
    expect(await thread!.gather(subjectFor('cache_port'), context)).toEqual(
      await gatherEvidence(subjectFor('cache_port'), { store, ...context }),
    );
  });

  it('reads on the main thread when the thread cannot open the store, and does not retry', async () => {
    const store = await seeded();
    const missing = path.join(makeTempDir('vigil-evidence-thread'), 'absent.db');
    const { lines } = startThread({ store, workerUrl: BUILT_WORKER, file: missing });
    await waitFor(
      () => said(lines, /did not start/) === 1,
      10_000,
      () => 'the thread to give up',
    );
    expect(said(lines, /could not open the store/)).toBe(1);
    expect(thread!.running).toBe(false);

    expect(await thread!.gather(subjectFor('db_port'), context)).toEqual(
      await gatherEvidence(subjectFor('db_port'), { store, ...context }),
    );
  });

  it('ends the thread on stop', async () => {
    const store = await seeded();
    await runningThread({ store, workerUrl: BUILT_WORKER });
    const started = performance.now();
    await thread!.stop();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(thread!.running).toBe(false);
  });
});
