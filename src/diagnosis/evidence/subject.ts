// What a diagnosis is about: an alert as the receiver stores it (an AlertRecord fits), reduced to what evidence
// gathering reads. The `check` label (or `checkId`) names the check; without one, the alert's `group`, `component`
// or `service` label names the checks it covers.

import type { DiagnosisEvidence } from '../../model/diagnosis.js';

export interface DiagnosisSubject {
  alertname: string;
  severity: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  startsAt: number;
  checkId?: string;
}

/** The check the alert names, if it names one. */
export function checkIdOf(subject: DiagnosisSubject): string | undefined {
  const id = subject.checkId ?? subject.labels['check'];
  return id === undefined || id === '' ? undefined : id;
}

/** The alert part of the evidence: what the diagnosis shows of the alert itself. */
export function alertPart(subject: DiagnosisSubject): DiagnosisEvidence['alert'] {
  return {
    alertname: subject.alertname,
    severity: subject.severity,
    labels: subject.labels,
    annotations: subject.annotations,
    startsAt: subject.startsAt,
  };
}
