// The lifecycle of an alert after it arrived, as pure planners the store runs inside a transaction on the alert as
// it is in the database:
//
//   active ──acknowledge──▶ acknowledged ──resolve──▶ resolved
//     │  ▲                      │
//     │  └──suppression ends────┤ (back to acknowledged when it had been)
//     └──suppress(duration)──▶ suppressed ──resolve──▶ resolved (its silence expired)
//   active or acknowledged, not re-sent for the TTL ──▶ expired
//
// A refused transition throws LifecycleConflict, which the API answers with 409 and the current state.

import { isOpen, type AlertAction, type AlertChange, type AlertRecord, type AlertState } from '../../model/alert.js';
import { closed } from '../alert-closing.js';
import { Refusal } from '../errors.js';

export type LifecycleOutcome = 'acknowledged' | 'resolved' | 'suppressed' | 'unsuppressed' | 'expired' | 'unchanged';

export class LifecycleConflict extends Refusal {
  constructor(
    readonly state: AlertState,
    message: string,
  ) {
    super(message);
  }
}

function refuse(alert: AlertRecord, action: string, allowed: readonly AlertState[]): never {
  throw new LifecycleConflict(
    alert.state,
    `the alert is ${alert.state}; only ${allowed.join(' or ')} alerts can be ${action}`,
  );
}

function actionOf(action: AlertAction) {
  return { actor: action.by, ...(action.note === undefined ? {} : { note: action.note }) };
}

export function acknowledge(alert: AlertRecord, action: AlertAction): AlertChange<LifecycleOutcome> {
  if (alert.state !== 'active') refuse(alert, 'acknowledged', ['active']);
  const next: AlertRecord = { ...alert, state: 'acknowledged', acknowledged: action, updatedAt: action.at };
  return {
    writes: [next],
    events: [
      {
        alertId: alert.id,
        at: action.at,
        kind: 'acknowledged',
        source: 'user',
        ...actionOf(action),
        notify: false,
        detail: {},
      },
    ],
    outcome: 'acknowledged',
  };
}

export function resolveByUser(alert: AlertRecord, action: AlertAction): AlertChange<LifecycleOutcome> {
  if (!isOpen(alert.state)) refuse(alert, 'resolved', ['active', 'acknowledged', 'suppressed']);
  const ended = closed(alert, {
    state: 'resolved',
    at: action.at,
    endsAt: Math.max(action.at, alert.startsAt),
    by: action.by,
    ...(action.note === undefined ? {} : { note: action.note }),
  });
  return { writes: [ended.alert], events: [ended.event(undefined, 'user', true)], outcome: 'resolved' };
}

/** Checks a suppression may start, before any silence is created for it. */
export function assertSuppressible(alert: AlertRecord): void {
  if (alert.state !== 'active' && alert.state !== 'acknowledged')
    refuse(alert, 'suppressed', ['active', 'acknowledged']);
}

export function suppress(
  alert: AlertRecord,
  action: AlertAction,
  until: number,
  silenceId: string | undefined,
): AlertChange<LifecycleOutcome> {
  assertSuppressible(alert);
  const next: AlertRecord = {
    ...alert,
    state: 'suppressed',
    suppressed: { ...action, until, ...(silenceId === undefined ? {} : { silenceId }) },
    updatedAt: action.at,
  };
  return {
    writes: [next],
    events: [
      {
        alertId: alert.id,
        at: action.at,
        kind: 'suppressed',
        source: 'user',
        ...actionOf(action),
        notify: false,
        detail: { until, ...(silenceId === undefined ? {} : { silence_id: silenceId }) },
      },
    ],
    outcome: 'suppressed',
  };
}

/**
 * Moves an alert on when its time is up: a suppression that ended returns it to active (or acknowledged), an active
 * alert not re-sent for the TTL expires. Re-checked here because a notification may have refreshed it meanwhile.
 */
export function timeOut(alert: AlertRecord, now: number, ttlMs: number): AlertChange<LifecycleOutcome> {
  if (alert.state === 'suppressed' && (alert.suppressed?.until ?? 0) <= now) {
    const next: AlertRecord = {
      ...alert,
      state: alert.acknowledged === undefined ? 'active' : 'acknowledged',
      // Alertmanager sent nothing while the alert was silenced: the TTL starts over.
      lastSeenAt: now,
      updatedAt: now,
    };
    return {
      writes: [next],
      events: [{ alertId: alert.id, at: now, kind: 'unsuppressed', source: 'system', notify: false, detail: {} }],
      outcome: 'unsuppressed',
    };
  }
  if ((alert.state === 'active' || alert.state === 'acknowledged') && alert.lastSeenAt < now - ttlMs) {
    const ended = closed(alert, {
      state: 'expired',
      at: now,
      endsAt: Math.max(now, alert.startsAt),
      by: 'vigil',
      note: `not re-sent by Alertmanager for ${Math.round(ttlMs / 60_000)} minutes`,
    });
    return {
      writes: [ended.alert],
      events: [ended.event(undefined, 'system', true)],
      outcome: 'expired',
    };
  }
  return { writes: [], events: [], outcome: 'unchanged' };
}
