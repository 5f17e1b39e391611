// Evidence from the alert alone, for a receiver that shares no store with the prober: the check it names and the
// component, service and group its labels carry. No results, incidents or co-failing checks, and the source note
// says so, so the diagnosis built on it can say why it is thin.

import type { CheckEvidence, DiagnosisEvidence } from '../../model/diagnosis.js';
import { alertPart, checkIdOf, type DiagnosisSubject } from './subject.js';

export function evidenceFromLabels(subject: DiagnosisSubject, now: number = subject.startsAt): DiagnosisEvidence {
  const checkId = checkIdOf(subject);
  const { labels } = subject;
  const checks: CheckEvidence[] =
    checkId === undefined
      ? []
      : [
          {
            checkId,
            ...optional('name', labels['name']),
            ...optional('component', labels['component']),
            ...optional('service', labels['service']),
            ...optional('group', labels['group']),
            recent: [],
            incidents: [],
            coFailing: [],
            maintenance: [],
          },
        ];
  return {
    alert: alertPart(subject),
    checks,
    sources: [
      {
        source: 'store',
        available: false,
        note: 'no store shared with the prober: no results, incidents or other checks',
      },
      { source: 'labels', available: true, note: 'the alert labels and annotations only' },
    ],
    at: now,
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}
