// Notifications for the channel tests, built from a few fields so each test says only what matters to it.

import type { Notification, NotificationAlert } from '../../src/model/notification.js';

/** 2026-12-04 13:40 UTC: fixed, so rendered times are exact. */
export const STARTED_AT = Date.UTC(2026, 11, 4, 13, 40);
export const ACCEPTED_AT = STARTED_AT + 12 * 60_000;

export function notificationAlert(overrides: Partial<NotificationAlert> = {}): NotificationAlert {
  return {
    id: 'alert-1',
    status: 'firing',
    alertname: 'ServiceDown',
    severity: 'critical',
    checkId: 'api-root',
    labels: { alertname: 'ServiceDown', severity: 'critical', check: 'api-root', name: 'API Root' },
    annotations: { summary: 'API Root is not answering' },
    startsAt: STARTED_AT,
    links: {
      vigil: 'http://vigil.example/api/v1/alerts/alert-1',
      prometheus: 'http://prometheus.example:9090/graph?g0.expr=up%3D%3D0',
      silence: 'http://alertmanager.example:9093/#/silences/new',
      statusPage: 'http://status.example/',
    },
    ...overrides,
  };
}

export function notification(
  alerts: NotificationAlert[] = [notificationAlert()],
  overrides: Partial<Notification> = {},
): Notification {
  const firing = alerts.some((alert) => alert.status === 'firing');
  return {
    groupKey: '{}:{alertname="ServiceDown"}',
    stateKey: alerts.map((alert) => `${alert.id}:${alert.status}`).join(','),
    status: firing ? 'firing' : 'resolved',
    severity: alerts[0]?.severity ?? 'critical',
    groupLabels: { alertname: 'ServiceDown' },
    commonLabels: { alertname: 'ServiceDown' },
    commonAnnotations: {},
    alerts,
    listUrl: 'http://vigil.example/api/v1/alerts?group=ServiceDown',
    acceptedAt: ACCEPTED_AT,
    ...overrides,
  };
}

/** `count` firing alerts, one per check, as a group of many checks down at once. */
export function manyAlerts(count: number): NotificationAlert[] {
  return Array.from({ length: count }, (_, index) =>
    notificationAlert({
      id: `alert-${index + 1}`,
      checkId: `check-${index + 1}`,
      labels: {
        alertname: 'ServiceDown',
        severity: 'critical',
        check: `check-${index + 1}`,
        name: `Check ${index + 1}`,
      },
    }),
  );
}
