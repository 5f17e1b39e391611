// The messages between the receiver's main thread and its evidence thread (evidence-worker.ts): plain data only.

import type { DiagnosisSubject } from '../../diagnosis/index.js';
import type { CheckDefinition } from '../../model/check.js';
import type { DiagnosisEvidence } from '../../model/diagnosis.js';
import type { MaintenanceWindow } from '../../model/maintenance.js';

/** What the thread is started with. */
export interface EvidenceWorkerData {
  /** The SQLite database the main thread has open in WAL mode. */
  file: string;
}

export interface GatherRequest {
  id: number;
  subject: DiagnosisSubject;
  now: number;
}

/** One request's answer: its evidence, or why the store could not be read. */
export type GatherAnswer = { id: number; evidence: DiagnosisEvidence } | { id: number; failed: string };

/**
 * Requests and answers travel in batches (those made in one turn of the event loop): each message wakes the thread
 * it goes to, and on a machine with few cores a wake-up can take the core from the thread that sent it.
 */
export type EvidenceHostMessage =
  /** The loaded checks and maintenance windows: sent before the first request and after each reload. */
  | { kind: 'config'; checks: readonly CheckDefinition[]; maintenance: readonly MaintenanceWindow[] }
  | { kind: 'gather'; requests: GatherRequest[] }
  | { kind: 'stop' };

export type EvidenceWorkerMessage =
  | { kind: 'ready' }
  /** The connection could not be opened: the thread ends after this. */
  | { kind: 'unavailable'; message: string }
  | { kind: 'gathered'; answers: GatherAnswer[] }
  | { kind: 'stopped' };
