// The evidence thread: gathers each diagnosis's evidence from a read-only connection of its own to the SQLite store,
// apart from the main thread, whose event loop the ingest, the outbox worker and the channels share. The reads are
// synchronous (better-sqlite3), a few milliseconds per alert; on the main thread they held every message queued
// behind them. The evidence is the same gatherEvidence's, over the same database file (WAL: readers never wait
// for the writer).

import { parentPort, workerData } from 'node:worker_threads';
import { gatherEvidence } from '../../diagnosis/index.js';
import type { CheckDefinition } from '../../model/check.js';
import type { MaintenanceWindow } from '../../model/maintenance.js';
import { SqliteStore } from '../../store/sqlite-store.js';
import type {
  EvidenceHostMessage,
  EvidenceWorkerData,
  EvidenceWorkerMessage,
  GatherAnswer,
  GatherRequest,
} from './evidence-messages.js';

const port = parentPort;
if (!port) throw new Error('evidence-worker must run in a worker thread');
const { file } = workerData as EvidenceWorkerData;

const post = (message: EvidenceWorkerMessage): void => port.postMessage(message);

let checks: readonly CheckDefinition[] = [];
let maintenance: readonly MaintenanceWindow[] = [];

async function main(): Promise<void> {
  let store: SqliteStore;
  try {
    store = await SqliteStore.open(file, { readOnly: true });
  } catch (error) {
    post({ kind: 'unavailable', message: messageOf(error) });
    port!.close();
    return;
  }
  port!.on('message', (message: EvidenceHostMessage) => {
    switch (message.kind) {
      case 'config':
        ({ checks, maintenance } = message);
        return;
      case 'gather':
        void Promise.all(message.requests.map((request) => answer(store, request))).then((answers) =>
          post({ kind: 'gathered', answers }),
        );
        return;
      case 'stop':
        void store.close().finally(() => {
          post({ kind: 'stopped' });
          port!.close();
        });
        return;
    }
  });
  post({ kind: 'ready' });
}

async function answer(store: SqliteStore, { id, subject, now }: GatherRequest): Promise<GatherAnswer> {
  try {
    return { id, evidence: await gatherEvidence(subject, { store, checks, maintenance, now }) };
  } catch (error) {
    return { id, failed: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

void main();
