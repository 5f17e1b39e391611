// Closing an alert, whoever closes it (Alertmanager's resolution, a person, the TTL, a superseding firing): the
// closed record with its end and duration, and the event that says so. When a suppressed alert closes, the event
// names its Alertmanager silence so the receiver expires it once the change is committed.

import type { AlertRecord, IncomingAlert, NewAlertEvent } from '../model/alert.js';

/** Event detail key naming a silence the receiver must expire once the change is committed. */
export const EXPIRE_SILENCE = 'expire_silence';

export interface Closing {
  state: 'resolved' | 'expired';
  at: number;
  endsAt: number;
  by: string;
  note?: string;
}

/** An alert closed, and the event saying so (asking for its silence to be expired when it was suppressed). */
export function closed(alert: AlertRecord, closing: Closing) {
  const closedAlert: AlertRecord = {
    ...alert,
    state: closing.state,
    endsAt: closing.endsAt,
    durationMs: Math.max(0, closing.endsAt - alert.startsAt),
    resolved: { at: closing.at, by: closing.by, ...(closing.note === undefined ? {} : { note: closing.note }) },
    updatedAt: closing.at,
  };
  const silenceId = alert.state === 'suppressed' ? alert.suppressed?.silenceId : undefined;
  const makeEvent = (
    incoming: IncomingAlert | undefined,
    source: NewAlertEvent['source'],
    notify: boolean,
    detail: Record<string, unknown> = {},
  ): NewAlertEvent => ({
    alertId: alert.id,
    at: closing.at,
    kind: closing.state,
    source,
    ...(source === 'user' ? { actor: closing.by } : {}),
    ...(closing.note === undefined ? {} : { note: closing.note }),
    notify,
    detail: {
      ...(incoming === undefined ? {} : { starts_at: incoming.startsAt }),
      ends_at: closing.endsAt,
      duration_ms: closedAlert.durationMs,
      ...(silenceId === undefined ? {} : { [EXPIRE_SILENCE]: silenceId }),
      ...detail,
    },
  });
  return { alert: closedAlert, event: makeEvent };
}
