// What one alert of a webhook notification does to the alerts already stored: a pure function of the newest stored
// alert with the same fingerprint (`latest`, the open one when there is one) and the incoming alert. The store runs
// it inside the ingest transaction, so deliveries of the same alert are decided one after another.
//
// S is the incoming startsAt, "now" the time the receiver got it, W the dedup window.
//
//   firing,   no alert                         → new active alert, count 1                          (new, notify)
//   firing,   open, S = lastStartsAt           → repeat, retry or HA twin: only lastSeenAt moves    (duplicate)
//   firing,   open, S < lastStartsAt           → an older firing arriving late: ignored             (stale)
//   firing,   open, S > lastStartsAt, seen ≤ W → a new firing of the same alert: count + 1         (refired)
//   firing,   open, S > lastStartsAt, seen > W → the old alert is closed as superseded, a new one opens (new, notify)
//   firing,   expired, S = lastStartsAt        → Alertmanager still sends it: reopened as active    (reopened, notify)
//   firing,   closed, S ≤ lastStartsAt         → a firing that lost the race with its resolution    (stale)
//   firing,   closed, S > lastStartsAt         → a new episode: new active alert                    (new, notify)
//   resolved, open, S ≥ lastStartsAt           → closed as resolved; duration from the first start  (resolved, notify)
//   resolved, open, S < lastStartsAt           → resolution of a firing already superseded          (stale)
//   resolved, closed, S ≤ lastStartsAt         → resolved again (HA twin, retry, after a manual resolve) (duplicate)
//   resolved, none or closed with S newer      → resolved before its firing arrived: stored resolved (resolved, notify)
//
// "seen ≤ W": the alert was last heard of (any notification) at most W before now. An acknowledged or suppressed
// alert keeps its state through repeats and refirings.

import { copyWith } from '../../copy-with.js';
import {
  isOpen,
  type AlertChange,
  type AlertRecord,
  type IncomingAlert,
  type IngestOutcome,
  type NewAlertEvent,
} from '../../model/alert.js';
import { closed } from '../alert-closing.js';

export interface IngestContext {
  dedupWindowMs: number;
  newId(): string;
}

/** Who resolved an alert when it was not a person. */
export const RESOLVED_BY_ALERTMANAGER = 'alertmanager';
export const RESOLVED_BY_VIGIL = 'vigil';

export function planIngest(
  latest: AlertRecord | undefined,
  incoming: IncomingAlert,
  context: IngestContext,
): AlertChange<IngestOutcome> {
  return incoming.status === 'firing' ? planFiring(latest, incoming, context) : planResolved(latest, incoming, context);
}

function planFiring(
  latest: AlertRecord | undefined,
  incoming: IncomingAlert,
  context: IngestContext,
): AlertChange<IngestOutcome> {
  if (latest === undefined) return opened(incoming, context);
  const starts = incoming.startsAt;
  if (isOpen(latest.state)) {
    if (starts === latest.lastStartsAt) return refreshed(latest, incoming);
    if (starts < latest.lastStartsAt) return unchanged('stale');
    if (incoming.receivedAt - latest.lastSeenAt <= context.dedupWindowMs) return refired(latest, incoming);
    const superseded = closed(latest, {
      state: 'resolved',
      at: incoming.receivedAt,
      endsAt: Math.max(starts, latest.startsAt),
      by: RESOLVED_BY_VIGIL,
      note: 'superseded by a new firing after the dedup window',
    });
    const closing = {
      writes: [superseded.alert],
      events: [superseded.event(incoming, 'system', false)],
    };
    return followedBy(closing, opened(incoming, context));
  }
  if (latest.state === 'expired' && starts === latest.lastStartsAt) return reopened(latest, incoming);
  if (starts <= latest.lastStartsAt) return unchanged('stale');
  return opened(incoming, context);
}

function planResolved(
  latest: AlertRecord | undefined,
  incoming: IncomingAlert,
  context: IngestContext,
): AlertChange<IngestOutcome> {
  const starts = incoming.startsAt;
  if (latest !== undefined && isOpen(latest.state)) {
    if (starts < latest.lastStartsAt) return unchanged('stale');
    const ended = closed(latest, {
      state: 'resolved',
      at: incoming.receivedAt,
      endsAt: Math.max(incoming.endsAt ?? incoming.receivedAt, latest.startsAt),
      by: RESOLVED_BY_ALERTMANAGER,
    });
    return {
      writes: [ended.alert],
      events: [ended.event(incoming, 'alertmanager', true)],
      outcome: 'resolved',
    };
  }
  if (latest !== undefined && starts <= latest.lastStartsAt) return unchanged('duplicate');
  return resolvedBeforeFiring(incoming, context);
}

function unchanged(outcome: IngestOutcome): AlertChange<IngestOutcome> {
  return { writes: [], events: [], outcome };
}

/** `first`'s writes and events, then `next`'s, with `next`'s outcome. */
function followedBy(first: Omit<AlertChange, 'outcome'>, next: AlertChange<IngestOutcome>): AlertChange<IngestOutcome> {
  return {
    writes: [...first.writes, ...next.writes],
    events: [...first.events, ...next.events],
    outcome: next.outcome,
  };
}

/** The fields every notification sets on the alert it lands in. */
function fromNotification(incoming: IncomingAlert) {
  return {
    ...(incoming.generatorUrl === undefined ? {} : { generatorUrl: incoming.generatorUrl }),
    ...(incoming.receiver === undefined ? {} : { receiver: incoming.receiver }),
    ...(incoming.groupKey === undefined ? {} : { groupKey: incoming.groupKey }),
    ...(incoming.externalUrl === undefined ? {} : { externalUrl: incoming.externalUrl }),
  };
}

function newAlert(incoming: IncomingAlert, context: IngestContext): AlertRecord {
  const { labels } = incoming;
  return {
    id: context.newId(),
    fingerprint: incoming.fingerprint,
    state: 'active',
    alertname: labels['alertname'] ?? '',
    severity: labels['severity'] ?? '',
    ...(labels['check'] === undefined ? {} : { checkId: labels['check'] }),
    labels,
    annotations: incoming.annotations,
    ...fromNotification(incoming),
    startsAt: incoming.startsAt,
    lastStartsAt: incoming.startsAt,
    firstSeenAt: incoming.receivedAt,
    lastSeenAt: incoming.receivedAt,
    notificationCount: 1,
    updatedAt: incoming.receivedAt,
  };
}

function event(
  alert: AlertRecord,
  incoming: IncomingAlert,
  kind: NewAlertEvent['kind'],
  notify: boolean,
  detail: Record<string, unknown> = {},
): NewAlertEvent {
  return {
    alertId: alert.id,
    at: incoming.receivedAt,
    kind,
    source: 'alertmanager',
    notify,
    detail: {
      starts_at: incoming.startsAt,
      ...(incoming.receiver === undefined ? {} : { receiver: incoming.receiver }),
      ...detail,
    },
  };
}

function opened(incoming: IncomingAlert, context: IngestContext): AlertChange<IngestOutcome> {
  const alert = newAlert(incoming, context);
  return { writes: [alert], events: [event(alert, incoming, 'fired', true)], outcome: 'new' };
}

function refreshed(latest: AlertRecord, incoming: IncomingAlert): AlertChange<IngestOutcome> {
  const alert: AlertRecord = copyWith(latest, { lastSeenAt: Math.max(latest.lastSeenAt, incoming.receivedAt) });
  return { writes: [alert], events: [], outcome: 'duplicate' };
}

function refired(latest: AlertRecord, incoming: IncomingAlert): AlertChange<IngestOutcome> {
  const alert: AlertRecord = {
    ...latest,
    ...fromNotification(incoming),
    annotations: incoming.annotations,
    lastStartsAt: incoming.startsAt,
    lastSeenAt: incoming.receivedAt,
    notificationCount: latest.notificationCount + 1,
    updatedAt: incoming.receivedAt,
  };
  return {
    writes: [alert],
    events: [event(alert, incoming, 'refired', false, { notification_count: alert.notificationCount })],
    outcome: 'refired',
  };
}

function reopened(latest: AlertRecord, incoming: IncomingAlert): AlertChange<IngestOutcome> {
  const { endsAt: _endsAt, durationMs: _durationMs, resolved: _resolved, ...open } = latest;
  const alert: AlertRecord = copyWith(open, {
    state: 'active',
    lastSeenAt: incoming.receivedAt,
    updatedAt: incoming.receivedAt,
  });
  return { writes: [alert], events: [event(alert, incoming, 'reopened', true)], outcome: 'reopened' };
}

function resolvedBeforeFiring(incoming: IncomingAlert, context: IngestContext): AlertChange<IngestOutcome> {
  const ended = closed(newAlert(incoming, context), {
    state: 'resolved',
    at: incoming.receivedAt,
    endsAt: Math.max(incoming.endsAt ?? incoming.receivedAt, incoming.startsAt),
    by: RESOLVED_BY_ALERTMANAGER,
  });
  return {
    writes: [ended.alert],
    events: [ended.event(incoming, 'alertmanager', true, { resolved_before_firing: true })],
    outcome: 'resolved',
  };
}
