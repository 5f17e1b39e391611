// How a notification is stored with its outbox jobs and read back when a worker claims them: its alerts by id and
// status only, the rest read from the alerts' rows at the claim (their latest annotations and diagnosis, the status
// they had in the notification); an alert whose row is gone is left out; a body an older Vigil stored whole is read as
// it is.

import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../src/model/alert.js';
import type { PlannedNotification } from '../../../src/model/delivery.js';
import { listedAlert } from '../../../src/model/notification.js';
import { alertRow } from '../../../src/store/alert-rows.js';
import { type ClaimedRow, claimedBodies, claimedDeliveries, enqueuedRows } from '../../../src/store/outbox-rows.js';
import { alertOf, notificationOf } from '../../helpers/notification-fixtures.js';

const T = Date.UTC(2026, 11, 4, 14);
const MINUTE = 60_000;

function record(index: number, overrides: Partial<AlertRecord> = {}): AlertRecord {
  const check = `api-${index}`;
  return {
    id: `alert-${index}`,
    fingerprint: `fp-${index}`,
    state: 'active',
    alertname: 'ServiceDown',
    severity: 'critical',
    checkId: check,
    labels: { alertname: 'ServiceDown', severity: 'critical', check },
    annotations: { summary: `${check} is down` },
    startsAt: T - 10 * MINUTE,
    lastStartsAt: T - 10 * MINUTE,
    firstSeenAt: T - 10 * MINUTE,
    lastSeenAt: T,
    notificationCount: 1,
    updatedAt: T,
    ...overrides,
  };
}

function planned(alerts: readonly AlertRecord[]): PlannedNotification {
  return {
    id: 'notification-1',
    notification: notificationOf(alerts.map((alert) => listedAlert(alert, 'firing'))),
    alertIds: alerts.map((alert) => alert.id),
    destinations: [{ channel: 'slack', state: 'pending' }],
  };
}

/** The row a claim returns for a job of the notification, as both backends select it. */
function claimedRow(body: string, id = 1): ClaimedRow {
  return { id, attempts: 1, channel: 'slack', recipient: null, accepted_at: T, body };
}

function bodyOf(plan: PlannedNotification): string {
  return enqueuedRows(plan, T).notification[4] as string;
}

describe('outbox notification bodies', () => {
  it('store the alerts by id and status, not their labels and annotations', () => {
    const body = bodyOf(planned([record(1), record(2)]));

    expect((JSON.parse(body) as { alerts: unknown }).alerts).toEqual([
      { id: 'alert-1', status: 'firing' },
      { id: 'alert-2', status: 'firing' },
    ]);
    expect(body).not.toContain('api-1 is down');
  });

  it('read each alert from its row at the claim, with the status it had in the notification', () => {
    const plan = planned([record(1), record(2)]);
    const bodies = claimedBodies([claimedRow(bodyOf(plan))]);
    expect(bodies.alertIds).toEqual(['alert-1', 'alert-2']);
    // Since the notification: the first alert resolved and its summary changed.
    const later = record(1, { state: 'resolved', endsAt: T + MINUTE, annotations: { summary: 'api-1 was down' } });

    const [claimed] = claimedDeliveries(bodies, [alertRow(later), alertRow(record(2))]);

    expect(claimed?.notification).toEqual({
      ...plan.notification,
      alerts: [listedAlert(later, 'firing'), listedAlert(record(2), 'firing')],
    });
    expect(claimed?.notification.alerts[0]).toMatchObject({
      status: 'firing',
      annotations: { summary: 'api-1 was down' },
    });
    expect(claimed?.notification.alerts[0]?.endsAt).toBeUndefined();
  });

  it('leave out an alert whose row is gone', () => {
    const bodies = claimedBodies([claimedRow(bodyOf(planned([record(1), record(2)])))]);

    const [claimed] = claimedDeliveries(bodies, [alertRow(record(2))]);

    expect(claimed?.notification.alerts.map((alert) => alert.id)).toEqual(['alert-2']);
  });

  it('read a body stored whole by an older Vigil as it is', () => {
    const whole = notificationOf([alertOf(1), alertOf(2)]);
    const bodies = claimedBodies([claimedRow(JSON.stringify(whole))]);

    expect(bodies.alertIds).toEqual([]);
    expect(claimedDeliveries(bodies, [])[0]?.notification).toEqual(whole);
  });
});
