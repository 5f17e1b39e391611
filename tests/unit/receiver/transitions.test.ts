// The lifecycle after arrival as a table of allowed and refused transitions, plus the timers' decisions.

import { describe, expect, it } from 'vitest';
import type { AlertRecord, AlertState } from '../../../src/model/alert.js';
import {
  LifecycleConflict,
  acknowledge,
  resolveByUser,
  suppress,
  timeOut,
} from '../../../src/receiver/lifecycle/transitions.js';

const T = Date.UTC(2025, 4, 6, 9);
const HOUR = 3_600_000;

function alertIn(state: AlertState, overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id: 'a',
    fingerprint: 'f',
    state,
    alertname: 'CheckDown',
    severity: 'critical',
    labels: { alertname: 'CheckDown' },
    annotations: {},
    startsAt: T - HOUR,
    lastStartsAt: T - HOUR,
    firstSeenAt: T - HOUR,
    lastSeenAt: T - HOUR,
    notificationCount: 1,
    updatedAt: T - HOUR,
    ...overrides,
  };
}

const action = { at: T, by: 'alice', note: 'on it' };
const ACTIONS = {
  acknowledge: (alert: AlertRecord) => acknowledge(alert, action),
  resolve: (alert: AlertRecord) => resolveByUser(alert, action),
  suppress: (alert: AlertRecord) => suppress(alert, action, T + HOUR, 'sil'),
};

const ALLOWED: Record<keyof typeof ACTIONS, Partial<Record<AlertState, AlertState>>> = {
  acknowledge: { active: 'acknowledged' },
  resolve: { active: 'resolved', acknowledged: 'resolved', suppressed: 'resolved' },
  suppress: { active: 'suppressed', acknowledged: 'suppressed' },
};

describe('lifecycle transitions', () => {
  const states: AlertState[] = ['active', 'acknowledged', 'suppressed', 'resolved', 'expired'];
  for (const [name, apply] of Object.entries(ACTIONS) as Array<
    [keyof typeof ACTIONS, (alert: AlertRecord) => ReturnType<typeof acknowledge>]
  >) {
    for (const state of states) {
      const target = ALLOWED[name][state];
      it(`${name} from ${state} → ${target ?? '409'}`, () => {
        const alert = alertIn(
          state,
          state === 'suppressed' ? { suppressed: { at: T - 1, by: 'x', until: T + HOUR, silenceId: 'old' } } : {},
        );
        if (target === undefined) {
          expect(() => apply(alert)).toThrow(LifecycleConflict);
          return;
        }
        const change = apply(alert);
        expect(change.writes[0]?.state).toBe(target);
        expect(change.events[0]).toMatchObject({ source: 'user', actor: 'alice', note: 'on it', at: T });
      });
    }
  }

  it('records resolution time, duration, and the silence to expire', () => {
    const change = resolveByUser(
      alertIn('suppressed', { suppressed: { at: T - 1, by: 'x', until: T + HOUR, silenceId: 'sil-9' } }),
      action,
    );
    expect(change.writes[0]).toMatchObject({ endsAt: T, durationMs: HOUR, resolved: action });
    expect(change.events[0]?.detail).toMatchObject({ expire_silence: 'sil-9' });
  });
});

describe('timeOut', () => {
  it.each([
    ['active, seen within the TTL', alertIn('active', { lastSeenAt: T - HOUR + 1 }), 'unchanged', 'active'],
    ['active, not seen for the TTL', alertIn('active', { lastSeenAt: T - HOUR - 1 }), 'expired', 'expired'],
    ['acknowledged, not seen for the TTL', alertIn('acknowledged', { lastSeenAt: T - 2 * HOUR }), 'expired', 'expired'],
    [
      'suppressed, suppression running',
      alertIn('suppressed', { lastSeenAt: T - 9 * HOUR, suppressed: { at: T - 1, by: 'x', until: T + 1 } }),
      'unchanged',
      'suppressed',
    ],
    [
      'suppressed, suppression over',
      alertIn('suppressed', { suppressed: { at: T - 1, by: 'x', until: T } }),
      'unsuppressed',
      'active',
    ],
    [
      'suppressed after an acknowledgement, suppression over',
      alertIn('suppressed', { acknowledged: { at: T - 2, by: 'y' }, suppressed: { at: T - 1, by: 'x', until: T } }),
      'unsuppressed',
      'acknowledged',
    ],
    ['resolved', alertIn('resolved', { lastSeenAt: 0 }), 'unchanged', 'resolved'],
  ] as const)('%s → %s', (_name, alert, outcome, state) => {
    const change = timeOut(alert, T, HOUR);
    expect(change.outcome).toBe(outcome);
    expect(change.writes[0]?.state ?? alert.state).toBe(state);
  });

  it('restarts the TTL when a suppression ends', () => {
    expect(
      timeOut(alertIn('suppressed', { suppressed: { at: T - 1, by: 'x', until: T } }), T, HOUR).writes[0]?.lastSeenAt,
    ).toBe(T);
  });
});
