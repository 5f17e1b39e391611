// The notification planner: a new firing set sends to every routed destination, the same state again sends nothing
// (unless a reminder is due), the end of the group sends a resolved notice with how long it lasted, and muted or
// unrouted groups keep their state without sending.

import { describe, expect, it } from 'vitest';
import type { AlertRecord, AlertState, IncomingGroup } from '../../../src/model/alert.js';
import type { GroupState, NotificationPlan } from '../../../src/model/delivery.js';
import type { RoutedDestination } from '../../../src/delivery/routing.js';
import { type Router, notificationPlanner } from '../../../src/receiver/notifications/notification-planner.js';
import { withLinks } from '../../../src/receiver/notifications/notification-body.js';

const T = Date.UTC(2026, 11, 4, 14);
const MINUTE = 60_000;
const GROUP_KEY = '{}:{alertname="ServiceDown"}';

function alert(check: string, state: AlertState = 'active', overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id: `id-${check}`,
    fingerprint: `fp-${check}`,
    state,
    alertname: 'ServiceDown',
    severity: 'critical',
    checkId: check,
    labels: { alertname: 'ServiceDown', severity: 'critical', check },
    annotations: { runbook_url: 'https://runbooks.example/service-down', summary: `${check} is down` },
    generatorUrl: 'http://prometheus:9090/graph?g0.expr=up',
    externalUrl: 'http://alertmanager:9093',
    startsAt: T - 10 * MINUTE,
    lastStartsAt: T - 10 * MINUTE,
    firstSeenAt: T - 10 * MINUTE,
    lastSeenAt: T,
    notificationCount: 1,
    updatedAt: T,
    ...overrides,
  };
}

function group(overrides: Partial<IncomingGroup> = {}): IncomingGroup {
  return {
    groupKey: GROUP_KEY,
    status: 'firing',
    groupLabels: { alertname: 'ServiceDown' },
    commonLabels: { alertname: 'ServiceDown', severity: 'critical' },
    commonAnnotations: {},
    externalUrl: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    receivedAt: T,
    ...overrides,
  };
}

const slackAndEmail: RoutedDestination[] = [
  { channel: 'slack', state: 'pending', route: 'seed: critical' },
  { channel: 'email', recipient: 'oncall@example.com', state: 'pending', route: 'seed: critical' },
];
/** What the planner writes for them: the route stays behind. */
const toSlackAndEmail = [
  { channel: 'slack', state: 'pending' },
  { channel: 'email', recipient: 'oncall@example.com', state: 'pending' },
];

function planner(route: Router = () => slackAndEmail, now = T) {
  let ids = 0;
  const seen: Array<Record<string, string>> = [];
  const plan = notificationPlanner({
    route: (labels) => {
      seen.push({ ...labels });
      return route(labels);
    },
    links: { vigilUrl: 'http://vigil:9471/' },
    now: () => now,
    newId: () => `n${(ids += 1)}`,
  });
  return { plan, seen };
}

function sent(plan: NotificationPlan | undefined) {
  expect(plan?.send).toBeDefined();
  return plan!.send!;
}

describe('the notification planner', () => {
  it('sends a new group to every routed destination, firing alerts listed, their links added when it is sent', () => {
    const { plan, seen } = planner();
    const result = plan(undefined, group(), [alert('api'), alert('web', 'resolved', { endsAt: T - MINUTE })]);
    const send = sent(result);
    expect(send.destinations).toEqual(toSlackAndEmail);
    expect(send.alertIds).toEqual(['id-api', 'id-web']);
    expect(send.notification.status).toBe('firing');
    expect(send.notification.alerts.map((listed) => [listed.checkId, listed.status])).toEqual([
      ['api', 'firing'],
      ['web', 'resolved'],
    ]);
    // The stored notification carries what the links are made of, not the links.
    expect(send.notification.alerts[0]!.links).toEqual({});
    const linked = withLinks(send.notification, { vigilUrl: 'http://vigil:9471/' });
    expect(linked.alerts[0]!.links).toEqual({
      vigil: 'http://vigil:9471/api/v1/alerts/id-api',
      prometheus: 'http://prometheus:9090/graph?g0.expr=up',
      silence: expect.stringMatching(/^http:\/\/alertmanager:9093\/#\/silences\/new\?filter=/) as string,
      runbook: 'https://runbooks.example/service-down',
    });
    expect(send.notification.listUrl).toBe(
      `http://alertmanager:9093/#/alerts?filter=${encodeURIComponent('{alertname="ServiceDown"}')}`,
    );
    expect(result?.group).toMatchObject({ groupKey: GROUP_KEY, status: 'firing', sequence: 1, notifiedAt: T });
    expect(seen).toEqual([{ alertname: 'ServiceDown', severity: 'critical' }]);
  });

  it('sends nothing for the same firing set again, and a new message when the set changes', () => {
    const { plan } = planner();
    const first = plan(undefined, group(), [alert('api')])!;
    expect(plan(first.group, group(), [alert('api')])).toBeUndefined();
    const grown = plan(first.group, group(), [alert('api'), alert('web')]);
    expect(grown?.group.sequence).toBe(2);
    expect(sent(grown).notification.stateKey).not.toBe(first.send!.notification.stateKey);
    expect(sent(grown).notification.alerts).toHaveLength(2);
  });

  it('sends a resolved notice once, with how long the group lasted', () => {
    const { plan } = planner();
    const firing = plan(undefined, group(), [alert('api')])!;
    const over = [alert('api', 'resolved', { endsAt: T - 2 * MINUTE })];
    const resolved = plan(firing.group, group({ status: 'resolved' }), over);
    expect(sent(resolved).notification).toMatchObject({ status: 'resolved', durationMs: 8 * MINUTE });
    expect(plan(resolved!.group, group({ status: 'resolved' }), over)).toBeUndefined();
    // The same checks firing again later is a new episode: a new message.
    const again = plan(resolved!.group, group(), [alert('api')]);
    expect(sent(again).notification.stateKey).not.toBe(firing.send!.notification.stateKey);
  });

  it('routes on the common labels with the highest severity of the firing alerts', () => {
    const { plan, seen } = planner();
    const warning = alert('db', 'active', { severity: 'warning' });
    plan(undefined, group({ commonLabels: { alertname: 'ServiceDown' } }), [warning, alert('api')]);
    expect(seen).toEqual([{ alertname: 'ServiceDown', severity: 'critical' }]);
  });

  it('reminds only the destinations whose route asks for it, once the interval has passed', () => {
    const route: Router = () => [
      { channel: 'slack', state: 'pending', route: 'routes[0]', reminderIntervalMs: 60 * MINUTE },
      { channel: 'email', recipient: 'oncall@example.com', state: 'pending', route: 'routes[0]' },
    ];
    const stored: GroupState = {
      groupKey: GROUP_KEY,
      stateKey: planner().plan(undefined, group(), [alert('api')])!.group.stateKey,
      status: 'firing',
      sequence: 1,
      notifiedAt: T - 30 * MINUTE,
      firingSince: T - 30 * MINUTE,
    };
    expect(planner(route).plan(stored, group(), [alert('api')])).toBeUndefined();
    const later = planner(route, T + 30 * MINUTE).plan(stored, group(), [alert('api')]);
    expect(sent(later).destinations).toEqual([{ channel: 'slack', state: 'pending' }]);
    expect(later?.group).toMatchObject({ sequence: 2, notifiedAt: T + 30 * MINUTE, firingSince: T - 30 * MINUTE });
  });

  it('keeps the state of a group nobody is routed to or whose alerts are all muted, and sends nothing', () => {
    const unrouted = planner(() => []).plan(undefined, group(), [alert('api')]);
    expect(unrouted?.send).toBeUndefined();
    expect(unrouted?.group.sequence).toBe(1);
    const muted = planner().plan(undefined, group(), [alert('api', 'suppressed')]);
    expect(muted?.send).toBeUndefined();
    expect(muted?.group.status).toBe('firing');
  });

  it('passes unconfigured destinations through for the delivery log, and ignores groups without a key', () => {
    const reason = 'set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER';
    const route: Router = () => [{ channel: 'sms', state: 'unconfigured', route: 'seed: critical', reason }];
    expect(sent(planner(route).plan(undefined, group(), [alert('api')])).destinations).toEqual([
      { channel: 'sms', state: 'unconfigured', reason },
    ]);
    const { groupKey: _omitted, ...keyless } = group();
    expect(planner().plan(undefined, keyless, [alert('api')])).toBeUndefined();
  });
});
