// Which firing of an alert a diagnosis is of. An alert's state, for its diagnosis, is its id and the start of its
// newest firing (`lastStartsAt`): a refiring is news and is diagnosed again, a repeat of the same firing is not.

import type { AlertRecord } from '../../model/alert.js';
import type { AlertDiagnosis } from '../../model/diagnosis.js';

/** The key of the alert's current firing: one diagnosis runs per key at a time, and the AI caches its answer by it. */
export function diagnosisKey(alert: Pick<AlertRecord, 'id' | 'lastStartsAt'>): string {
  return `${alert.id}@${alert.lastStartsAt}`;
}

/** The stored diagnosis when it is of the alert's current firing; undefined when none ran for it yet. */
export function currentDiagnosis(alert: AlertRecord): AlertDiagnosis | undefined {
  const enrichment = alert.enrichment;
  if (enrichment?.diagnosis === undefined || enrichment.diagnosis.pending === true) return undefined;
  return enrichment.diagnosedStartsAt === alert.lastStartsAt ? enrichment.diagnosis : undefined;
}

/**
 * Whether the stored diagnosis is the last word on the current firing: the AI answered, or said why not, or there is
 * no AI. A rule diagnosis stored while the AI was still asked (a restart cut it short) is not.
 */
export function isSettled(diagnosis: AlertDiagnosis | undefined, aiConfigured: boolean): boolean {
  if (diagnosis === undefined) return false;
  return !aiConfigured || diagnosis.source === 'ai' || diagnosis.fallback_reason !== undefined;
}

/** Open and firing: the alerts whose new firing is diagnosed (a closed alert's notice needs no cause). */
export function wantsDiagnosis(alert: AlertRecord, aiConfigured: boolean): boolean {
  return (
    (alert.state === 'active' || alert.state === 'acknowledged') &&
    alert.endsAt === undefined &&
    !isSettled(currentDiagnosis(alert), aiConfigured)
  );
}
