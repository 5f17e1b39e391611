// The main thread's handle on the evidence thread (evidence-worker.ts): hands it each diagnosis's subject, with the
// loaded checks and maintenance windows whenever a reload changed them, and gets the evidence back. While the thread
// is not running (starting, restarting after it died, or unable to start at all) the evidence is read on the main
// thread from the store it shares, so every diagnosis still gets the store's evidence, only later than it would.

import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { gatherEvidence, type DiagnosisSubject, type EvidenceStore } from '../../diagnosis/index.js';
import type { CheckDefinition } from '../../model/check.js';
import type { DiagnosisEvidence } from '../../model/diagnosis.js';
import type { MaintenanceWindow } from '../../model/maintenance.js';
import type {
  EvidenceHostMessage,
  EvidenceWorkerData,
  EvidenceWorkerMessage,
  GatherRequest,
} from './evidence-messages.js';

/** What one gathering reads besides the subject: the configuration loaded now, and the time. */
export interface GatherContext {
  checks: readonly CheckDefinition[];
  maintenance: readonly MaintenanceWindow[];
  now: number;
}

export interface EvidenceThreadOptions {
  /** The SQLite database file, open in WAL mode on the main thread. */
  file: string;
  /** The main thread's connection: read while the thread is not running. */
  store: EvidenceStore;
  logger: Logger;
  /** The thread's entry; by default the built evidence-worker.js beside this module. */
  workerUrl?: URL;
}

const RESTART_DELAY_MS = 1_000;
const STOP_TIMEOUT_MS = 5_000;

interface Pending {
  subject: DiagnosisSubject;
  context: GatherContext;
  resolve: (evidence: DiagnosisEvidence) => void;
  reject: (error: Error) => void;
}

export class EvidenceThread {
  readonly #options: EvidenceThreadOptions;
  #worker: Worker | undefined;
  #ready = false;
  #stopping = false;
  #restart: NodeJS.Timeout | undefined;
  /** The configuration the thread has, by identity: a reload makes new arrays. */
  #sent: Pick<GatherContext, 'checks' | 'maintenance'> | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  /** Requests made in this turn of the event loop, sent together at its end. */
  #outgoing: GatherRequest[] = [];
  #flushing: NodeJS.Immediate | undefined;

  constructor(options: EvidenceThreadOptions) {
    this.#options = options;
  }

  /** Whether gatherings go to the thread now (false while it starts or restarts, or after it could not start). */
  get running(): boolean {
    return this.#ready;
  }

  /** Starts the thread; gatherings are read on the main thread until it is ready. */
  start(): void {
    if (this.#worker === undefined && !this.#stopping) this.#spawn();
  }

  /** The subject's evidence from the store at `context.now`; rejects when the store cannot be read. */
  readonly gather = (subject: DiagnosisSubject, context: GatherContext): Promise<DiagnosisEvidence> => {
    const worker = this.#worker;
    if (worker === undefined || !this.#ready) return this.#onMainThread(subject, context);
    if (this.#sent?.checks !== context.checks || this.#sent.maintenance !== context.maintenance) {
      this.#post(worker, { kind: 'config', checks: context.checks, maintenance: context.maintenance });
      this.#sent = { checks: context.checks, maintenance: context.maintenance };
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { subject, context, resolve, reject });
      this.#outgoing.push({ id, subject, now: context.now });
      this.#flushing ??= setImmediate(() => this.#flush(worker));
    });
  };

  /** Lets the thread answer what it was asked, closes its connection and ends it. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restart);
    const worker = this.#worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    clearImmediate(this.#flushing);
    this.#flush(worker);
    this.#post(worker, { kind: 'stop' });
    await exited;
    clearTimeout(timer);
  }

  #onMainThread(subject: DiagnosisSubject, context: GatherContext): Promise<DiagnosisEvidence> {
    return gatherEvidence(subject, { store: this.#options.store, ...context });
  }

  #flush(worker: Worker): void {
    this.#flushing = undefined;
    const requests = this.#outgoing;
    this.#outgoing = [];
    // A thread that ended meanwhile has had its pending requests read on the main thread.
    if (requests.length > 0 && worker === this.#worker) this.#post(worker, { kind: 'gather', requests });
  }

  #post(worker: Worker, message: EvidenceHostMessage): void {
    worker.postMessage(message);
  }

  #spawn(): void {
    const { logger, file } = this.#options;
    const workerData: EvidenceWorkerData = { file };
    const worker = new Worker(this.#options.workerUrl ?? new URL('./evidence-worker.js', import.meta.url), {
      workerData,
    });
    // The receiver's server and timers keep the process alive; this thread never does on its own.
    worker.unref();
    this.#worker = worker;
    this.#sent = undefined;
    worker.on('message', (message: EvidenceWorkerMessage) => this.#received(message));
    worker.on('error', (error) => logger.error({ err: error }, 'evidence thread failed'));
    worker.on('exit', (code) => this.#exited(worker, code));
  }

  #received(message: EvidenceWorkerMessage): void {
    switch (message.kind) {
      case 'ready':
        this.#ready = true;
        this.#options.logger.info('evidence thread ready: diagnoses read the store beside the main thread');
        return;
      case 'unavailable':
        this.#options.logger.warn({ err: message.message }, 'evidence thread could not open the store');
        return;
      case 'gathered':
        for (const answer of message.answers) {
          const pending = this.#settle(answer.id);
          if ('evidence' in answer) pending?.resolve(answer.evidence);
          else pending?.reject(new Error(answer.failed));
        }
        return;
      case 'stopped':
        return;
    }
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    return pending;
  }

  /**
   * A thread that ends before stop() (it crashed, or could not start): what it had not answered is read on the main
   * thread, and one that had been running is started again; one that never got ready is not (it would fail again).
   */
  #exited(worker: Worker, code: number): void {
    if (this.#worker !== worker) return;
    const wasReady = this.#ready;
    this.#worker = undefined;
    this.#ready = false;
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      this.#onMainThread(pending.subject, pending.context).then(pending.resolve, pending.reject);
    }
    if (this.#stopping) return;
    const { logger } = this.#options;
    if (!wasReady) {
      logger.warn({ code }, 'evidence thread did not start; diagnoses read the store on the main thread');
      return;
    }
    logger.error({ code }, 'evidence thread exited; restarting it (meanwhile diagnoses read the store here)');
    this.#restart = setTimeout(() => {
      if (!this.#stopping) this.#spawn();
    }, RESTART_DELAY_MS).unref();
  }
}
