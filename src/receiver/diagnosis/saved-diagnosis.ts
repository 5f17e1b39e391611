// The store change that records a diagnosis on its alert, run by the alert store's write loop against the alert as it
// is in the database: only the enrichment changes, and only while the alert is still at the firing the diagnosis is
// of (a refiring meanwhile has a diagnosis of its own coming). An alert stored without enrichment (an older Vigil's,
// until the enricher reaches it) keeps none: the delivery still uses the diagnosis from memory.

import { copyWith } from '../../copy-with.js';
import type { AlertChange, AlertRecord } from '../../model/alert.js';
import type { AlertDiagnosis } from '../../model/diagnosis.js';

export type DiagnosisSaved = 'diagnosed' | 'stale';

export function savedDiagnosis(
  current: AlertRecord,
  firing: number,
  diagnosis: AlertDiagnosis,
): AlertChange<DiagnosisSaved> {
  const { enrichment } = current;
  if (enrichment === undefined || current.lastStartsAt !== firing) return { writes: [], events: [], outcome: 'stale' };
  return {
    writes: [copyWith(current, { enrichment: { ...enrichment, diagnosis, diagnosedStartsAt: firing } })],
    events: [],
    outcome: 'diagnosed',
  };
}
