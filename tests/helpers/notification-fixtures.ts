// Notifications as the channels receive them, for render and send tests: one alert, or a group of many checks down.

import type { Notification, NotificationAlert } from '../../src/model/notification.js';

export const STARTED_AT = Date.UTC(2026, 11, 4, 13, 50);
export const ACCEPTED_AT = STARTED_AT + 12 * 60_000;

export function alertOf(index: number, overrides: Partial<NotificationAlert> = {}): NotificationAlert {
  const checkId = `api-${String(index).padStart(3, '0')}`;
  return {
    id: `alert-${index}`,
    status: 'firing',
    alertname: 'CheckDown',
    severity: 'critical',
    checkId,
    labels: { alertname: 'CheckDown', severity: 'critical', check: checkId },
    annotations: { summary: `${checkId} answers HTTP 503` },
    startsAt: STARTED_AT + index * 1_000,
    links: { vigil: `https://vigil.example/alerts/alert-${index}` },
    ...overrides,
  };
}

export function notificationOf(
  alerts: readonly NotificationAlert[],
  overrides: Partial<Notification> = {},
): Notification {
  return {
    groupKey: '{}:{alertname="CheckDown"}',
    stateKey: 'state-1',
    status: 'firing',
    severity: 'critical',
    groupLabels: { alertname: 'CheckDown' },
    commonLabels: { alertname: 'CheckDown', severity: 'critical' },
    commonAnnotations: {},
    alerts,
    listUrl: 'https://vigil.example/alerts?group=CheckDown',
    acceptedAt: ACCEPTED_AT,
    ...overrides,
  };
}

/** A group of `count` checks down, each with its own summary and link. */
export function bigGroup(count: number): Notification {
  return notificationOf(Array.from({ length: count }, (_, index) => alertOf(index)));
}
