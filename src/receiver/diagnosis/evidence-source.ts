// Where the receiver's diagnoses get their evidence: one function per source behind one type. The store shared with
// the prober (`vigil start`, or both roles on one PostgreSQL) gives results, incidents and the checks failing
// together; an alert about a check the loaded configuration does not define, or a store that cannot be read, falls
// back to the alert's own labels, and the evidence's source notes say so.

import {
  evidenceFromLabels,
  gatherEvidence,
  proberApiEvidence,
  type DiagnosisSubject,
  type EvidenceStore,
  type ProberApiEvidence,
} from '../../diagnosis/index.js';
import type { CheckDefinition } from '../../model/check.js';
import type { DiagnosisEvidence } from '../../model/diagnosis.js';
import type { MaintenanceWindow } from '../../model/maintenance.js';
import type { EvidenceThread, GatherContext } from './evidence-thread.js';

/** Gathers the evidence for one alert at `now` (Unix milliseconds). */
export type EvidenceSource = (subject: DiagnosisSubject, now: number) => Promise<DiagnosisEvidence>;

/** The alert's labels and annotations only: a receiver that shares nothing with the prober. */
export const labelEvidence: EvidenceSource = (subject, now) => Promise.resolve(evidenceFromLabels(subject, now));

export interface StoreEvidenceSourceOptions {
  store: EvidenceStore;
  /** The loaded checks and maintenance windows, read at each diagnosis so a reload is seen. */
  checks: () => readonly CheckDefinition[];
  maintenance: () => readonly MaintenanceWindow[];
  /** Where the reads run: the evidence thread's gather on SQLite; by default on this thread, from `store`. */
  gather?: EvidenceThread['gather'];
}

/** Evidence from the shared store; labels for a check the configuration does not define or a store that fails. */
export function storeEvidence(options: StoreEvidenceSourceOptions): EvidenceSource {
  const gather =
    options.gather ??
    ((subject: DiagnosisSubject, context: GatherContext) =>
      gatherEvidence(subject, { store: options.store, ...context }));
  return async (subject, now) => {
    const checks = options.checks();
    const named = subject.checkId ?? subject.labels['check'];
    if (named !== undefined && named !== '' && !checks.some((check) => check.id === named)) {
      return labelsInstead(subject, now, `check ${named} is not in the loaded configuration`);
    }
    try {
      return await gather(subject, { checks, maintenance: options.maintenance(), now });
    } catch (error) {
      return labelsInstead(
        subject,
        now,
        `could not be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
}

export interface ProberApiSourceOptions {
  /** `receiver.prober_url`. */
  url: string;
  /** VIGIL_ADMIN_TOKEN, sent when set. */
  adminToken?: string;
  /** The loaded checks (their targets) and maintenance windows, read at each diagnosis so a reload is seen. */
  checks: () => readonly CheckDefinition[];
  maintenance: () => readonly MaintenanceWindow[];
}

/**
 * Evidence read over the prober's HTTP API, for a receiver deployed apart from its prober; the labels when the prober
 * cannot be read (the evidence's prober_api note says why). A reload's checks or windows get a new reader.
 */
export function proberApiSource(options: ProberApiSourceOptions): EvidenceSource & { close(): Promise<void> } {
  let current:
    | { checks: readonly CheckDefinition[]; maintenance: readonly MaintenanceWindow[]; read: ProberApiEvidence }
    | undefined;
  const readerFor = (
    checks: readonly CheckDefinition[],
    maintenance: readonly MaintenanceWindow[],
  ): ProberApiEvidence => {
    if (current?.checks !== checks || current.maintenance !== maintenance) {
      void current?.read.close();
      const read = proberApiEvidence(options.url, {
        checks,
        maintenance,
        ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
      });
      current = { checks, maintenance, read };
    }
    return current.read;
  };
  const source = (subject: DiagnosisSubject, now: number): Promise<DiagnosisEvidence> =>
    readerFor(options.checks(), options.maintenance())(subject, now);
  return Object.assign(source, { close: async () => current?.read.close() });
}

/** The labels' evidence, its store note saying why the store gave none. */
function labelsInstead(subject: DiagnosisSubject, now: number, why: string): DiagnosisEvidence {
  const evidence = evidenceFromLabels(subject, now);
  return {
    ...evidence,
    sources: evidence.sources.map((note) => (note.source === 'store' ? { ...note, note: why } : note)),
  };
}
