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

export type EvidenceHostMessage =
  /** The loaded checks and maintenance windows: sent before the first request and after each reload. */
  | { kind: 'config'; checks: readonly CheckDefinition[]; maintenance: readonly MaintenanceWindow[] }
  | { kind: 'gather'; id: number; subject: DiagnosisSubject; now: number }
  | { kind: 'stop' };

export type EvidenceWorkerMessage =
  | { kind: 'ready' }
  /** The connection could not be opened: the thread ends after this. */
  | { kind: 'unavailable'; message: string }
  | { kind: 'evidence'; id: number; evidence: DiagnosisEvidence }
  | { kind: 'failed'; id: number; message: string }
  | { kind: 'stopped' };
