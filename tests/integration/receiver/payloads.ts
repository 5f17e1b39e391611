// Alertmanager webhook payloads (version 4) in the shape Alertmanager 0.25 sends them (see fixtures/, recorded from
// a real one), built from a few labels so each test says only what matters to it.

import { readFileSync } from 'node:fs';
import { labelsFingerprint } from '../../../src/receiver/ingest/fingerprint.js';

export interface AlertSpec {
  labels: Record<string, string>;
  status?: 'firing' | 'resolved';
  startsAt: number;
  endsAt?: number;
  annotations?: Record<string, string>;
  fingerprint?: string;
  generatorURL?: string;
}

/** Go's zero time: what Alertmanager sends as endsAt of a firing alert. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function alert(spec: AlertSpec) {
  const status = spec.status ?? 'firing';
  return {
    status,
    labels: spec.labels,
    annotations: spec.annotations ?? {
      summary: `${spec.labels['alertname'] ?? 'alert'} on ${spec.labels['check'] ?? '?'}`,
    },
    startsAt: new Date(spec.startsAt).toISOString(),
    endsAt: status === 'resolved' ? new Date(spec.endsAt ?? spec.startsAt + 60_000).toISOString() : ZERO_TIME,
    generatorURL: spec.generatorURL ?? 'http://prometheus.example:9090/graph?g0.expr=up%3D%3D0',
    fingerprint: spec.fingerprint ?? labelsFingerprint(spec.labels),
  };
}

export function notification(alerts: ReturnType<typeof alert>[], overrides: Record<string, unknown> = {}) {
  const firing = alerts.some((each) => each.status === 'firing');
  return {
    receiver: 'vigil',
    status: firing ? 'firing' : 'resolved',
    alerts,
    groupLabels: { alertname: alerts[0]?.labels?.['alertname'] ?? '' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager-1.example:9093',
    version: '4',
    groupKey: '{}:{alertname="CheckDown"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

export const down = (check: string, severity = 'critical') => ({ alertname: 'CheckDown', check, severity });

export function recorded(name: 'am-0.25-firing-truncated' | 'am-0.25-resolved') {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as ReturnType<
    typeof notification
  >;
}
