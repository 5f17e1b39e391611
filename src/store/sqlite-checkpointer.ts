// Checkpoints the SQLite write-ahead log from a thread of its own. A checkpoint copies the pages gathered in the WAL
// back into the database file and syncs it. Done by the connection that commits (SQLite's default: whenever the WAL
// passes 1,000 pages), it stops the event loop for as long, every few hundred webhooks under a burst. Here a second
// connection, in a worker thread, checkpoints every `everyMs` in PASSIVE mode, which neither waits for the writer
// nor blocks it; the main connection keeps its own automatic checkpoint only as a backstop, at a far higher mark
// (BACKSTOP_PAGES). Under a steady stream of commits the WAL still grows to that mark: SQLite starts it over only
// when a write begins with all of it copied, and the thread rarely finishes between two commits. The backstop's
// checkpoint then finds little left to copy. Measured on the ingest benchmark: 0.52-0.54x bare express's requests
// per second against 0.49x without (bench/RESULTS.md).
//
// The worker is a few lines evaluated in place, not a module file: it then runs the same from the TypeScript
// sources (tests) as from the build. It costs about 16 MB of RSS, so only the roles whose answers wait on commits
// ask for it.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

/** The main connection's automatic checkpoint while this thread does the work: 40 MB of WAL at 4 KB pages. */
export const BACKSTOP_PAGES = 10_000;
const DEFAULT_EVERY_MS = 250;
const STOP_TIMEOUT_MS = 5_000;

export interface CheckpointerOptions {
  /** The database file; the caller has it open in WAL mode. */
  file: string;
  everyMs?: number;
  logger?: Logger;
  /** Called if the thread ends before stop() (it failed): the caller should checkpoint as usual again. */
  onFailed?: () => void;
}

/** Messages from the worker: `ready` once its connection is open, `failed` with what went wrong. */
type WorkerMessage = { kind: 'ready' } | { kind: 'failed'; message: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
let timer;
let lastFailure;
// A failure that repeats every run is told once, until a run succeeds.
const fail = (error) => {
  const message = String((error && error.message) || error);
  if (message !== lastFailure) parentPort.postMessage({ kind: 'failed', message });
  lastFailure = message;
};
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    lastFailure = undefined;
  } catch (error) {
    fail(error);
  }
};
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
  db.pragma('synchronous = NORMAL');
  timer = setInterval(checkpoint, workerData.everyMs);
  parentPort.postMessage({ kind: 'ready' });
} catch (error) {
  fail(error);
}
parentPort.once('message', () => {
  clearInterval(timer);
  if (db) db.close();
  parentPort.close();
});
`;

export class BackgroundCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  #stopping = false;

  private constructor(worker: Worker, onFailed: (() => void) | undefined) {
    this.#worker = worker;
    this.#exited = new Promise((resolve) =>
      worker.once('exit', () => {
        if (!this.#stopping) onFailed?.();
        resolve();
      }),
    );
  }

  /** Starts the thread; resolves once its connection is open, rejects when it cannot open one. */
  static async start(options: CheckpointerOptions): Promise<BackgroundCheckpointer> {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: options.file, everyMs: options.everyMs ?? DEFAULT_EVERY_MS },
      // Nothing but the driver runs there: small heaps.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    worker.unref();
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`checkpoint thread exited (code ${code}) before it was ready`)));
        worker.once('message', (message: WorkerMessage) => {
          if (message.kind === 'ready') resolve();
          else reject(new Error(message.message));
        });
      });
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    worker.removeAllListeners();
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'failed')
        options.logger?.warn({ err: message.message }, 'sqlite: background checkpoint failed');
    });
    worker.on('error', (error) =>
      options.logger?.warn({ err: error }, 'sqlite: checkpoint thread failed; commits checkpoint as usual again'),
    );
    return new BackgroundCheckpointer(worker, options.onFailed);
  }

  /** Closes the thread's connection and ends it (at once if it has ended already). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#worker.postMessage('stop');
    const timer = setTimeout(() => void this.#worker.terminate(), STOP_TIMEOUT_MS);
    await this.#exited;
    clearTimeout(timer);
  }
}
