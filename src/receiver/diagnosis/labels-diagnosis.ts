// The rule diagnosis of an alert from its own labels and annotations: what a receiver that shares nothing with the
// prober can say. It is the same whenever it is made, so such a receiver does not store it (a write per alert, in a
// storm of thousands) but makes it again wherever it is shown.

import { diagnoseWithRules, evidenceFromLabels, type DiagnosisSubject } from '../../diagnosis/index.js';
import type { AlertRecord } from '../../model/alert.js';
import type { AlertDiagnosis, DiagnosisEvidence, Finding } from '../../model/diagnosis.js';
import { categoryOf, recommendationsFor } from '../enrichment/classify.js';

/** What the evidence is gathered for: the alert as of its newest firing. */
export function diagnosisSubject(alert: AlertRecord): DiagnosisSubject {
  return {
    alertname: alert.alertname,
    severity: alert.severity,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.lastStartsAt,
    ...(alert.checkId === undefined ? {} : { checkId: alert.checkId }),
  };
}

/**
 * The rule diagnosis over the evidence, the alert category's list recommended when no rule fits; `findings` when the
 * caller has run the rules already.
 */
export function ruleDiagnosis(
  alert: AlertRecord,
  evidence: DiagnosisEvidence,
  findings?: readonly Finding[],
): AlertDiagnosis {
  const category = categoryOf(alert.alertname, alert.labels);
  return diagnoseWithRules(evidence, {
    fallbackRecommendations: recommendationsFor(category, alert.annotations),
    ...(findings === undefined ? {} : { findings }),
  });
}

export function labelsDiagnosis(alert: AlertRecord): AlertDiagnosis {
  return ruleDiagnosis(alert, evidenceFromLabels(diagnosisSubject(alert)));
}

/** Whether the evidence came from the labels alone: nothing else was available. */
export function fromLabelsOnly(evidence: DiagnosisEvidence): boolean {
  return evidence.sources.every((note) => note.source === 'labels' || !note.available);
}
