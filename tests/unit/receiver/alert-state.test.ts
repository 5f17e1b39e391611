// The ingest state machine as a table: each row is the stored alert (or none), the incoming alert, and what must
// happen: the outcome, the states written, and the events with whether they notify.

import { describe, expect, it } from 'vitest';
import type { AlertRecord, AlertState, IncomingAlert } from '../../../src/model/alert.js';
import { planIngest } from '../../../src/receiver/ingest/alert-state.js';

const MINUTE = 60_000;
const T = Date.UTC(2025, 4, 6, 9);
const WINDOW = 5 * MINUTE;

let ids = 0;
const context = { dedupWindowMs: WINDOW, newId: () => `new-${(ids += 1)}` };

function stored(state: AlertState, overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id: 'stored',
    fingerprint: 'f',
    state,
    alertname: 'CheckDown',
    severity: 'critical',
    labels: { alertname: 'CheckDown' },
    annotations: {},
    startsAt: T - 10 * MINUTE,
    lastStartsAt: T - 10 * MINUTE,
    firstSeenAt: T - 10 * MINUTE,
    lastSeenAt: T - 2 * MINUTE,
    notificationCount: 1,
    updatedAt: T - 2 * MINUTE,
    ...overrides,
  };
}

function incoming(
  status: 'firing' | 'resolved',
  startsAt: number,
  overrides: Partial<IncomingAlert> = {},
): IncomingAlert {
  return {
    fingerprint: 'f',
    status,
    labels: { alertname: 'CheckDown' },
    annotations: {},
    startsAt,
    receivedAt: T,
    ...overrides,
  };
}

const S0 = T - 10 * MINUTE;

interface Row {
  name: string;
  latest: AlertRecord | undefined;
  incoming: IncomingAlert;
  outcome: string;
  states: AlertState[];
  events: Array<[string, boolean]>;
}

const ROWS: Row[] = [
  {
    name: 'first firing',
    latest: undefined,
    incoming: incoming('firing', S0),
    outcome: 'new',
    states: ['active'],
    events: [['fired', true]],
  },
  {
    name: 'repeat of an open alert',
    latest: stored('active'),
    incoming: incoming('firing', S0),
    outcome: 'duplicate',
    states: ['active'],
    events: [],
  },
  {
    name: 'repeat of an acknowledged alert',
    latest: stored('acknowledged'),
    incoming: incoming('firing', S0),
    outcome: 'duplicate',
    states: ['acknowledged'],
    events: [],
  },
  {
    name: 'older firing arriving late',
    latest: stored('active', { lastStartsAt: S0 + MINUTE }),
    incoming: incoming('firing', S0),
    outcome: 'stale',
    states: [],
    events: [],
  },
  {
    name: 'new firing within the window',
    latest: stored('active'),
    incoming: incoming('firing', S0 + 5 * MINUTE),
    outcome: 'refired',
    states: ['active'],
    events: [['refired', false]],
  },
  {
    name: 'new firing of a suppressed alert within the window',
    latest: stored('suppressed', { suppressed: { at: T, by: 'a', until: T + 60 * MINUTE } }),
    incoming: incoming('firing', S0 + MINUTE),
    outcome: 'refired',
    states: ['suppressed'],
    events: [['refired', false]],
  },
  {
    name: 'new firing after the window',
    latest: stored('active', { lastSeenAt: T - 6 * MINUTE }),
    incoming: incoming('firing', S0 + 9 * MINUTE),
    outcome: 'new',
    states: ['resolved', 'active'],
    events: [
      ['resolved', false],
      ['fired', true],
    ],
  },
  {
    name: 'firing of an expired alert, same episode',
    latest: stored('expired', { endsAt: T - MINUTE, resolved: { at: T - MINUTE, by: 'vigil' } }),
    incoming: incoming('firing', S0),
    outcome: 'reopened',
    states: ['active'],
    events: [['reopened', true]],
  },
  {
    name: 'firing after its resolution',
    latest: stored('resolved', { endsAt: T - MINUTE }),
    incoming: incoming('firing', S0),
    outcome: 'stale',
    states: [],
    events: [],
  },
  {
    name: 'firing of a new episode after a resolution',
    latest: stored('resolved', { endsAt: T - MINUTE }),
    incoming: incoming('firing', S0 + MINUTE),
    outcome: 'new',
    states: ['active'],
    events: [['fired', true]],
  },
  {
    name: 'resolution of an open alert',
    latest: stored('active'),
    incoming: incoming('resolved', S0, { endsAt: T - MINUTE }),
    outcome: 'resolved',
    states: ['resolved'],
    events: [['resolved', true]],
  },
  {
    name: 'resolution of an episode we missed firing',
    latest: stored('acknowledged'),
    incoming: incoming('resolved', S0 + MINUTE, { endsAt: T }),
    outcome: 'resolved',
    states: ['resolved'],
    events: [['resolved', true]],
  },
  {
    name: 'resolution of a firing already superseded',
    latest: stored('active', { lastStartsAt: S0 + MINUTE }),
    incoming: incoming('resolved', S0, { endsAt: T }),
    outcome: 'stale',
    states: [],
    events: [],
  },
  {
    name: 'resolution twice (HA twin)',
    latest: stored('resolved', { endsAt: T - MINUTE }),
    incoming: incoming('resolved', S0, { endsAt: T - MINUTE }),
    outcome: 'duplicate',
    states: [],
    events: [],
  },
  {
    name: 'resolution after a manual resolve',
    latest: stored('resolved', { resolved: { at: T - MINUTE, by: 'alice' } }),
    incoming: incoming('resolved', S0, { endsAt: T }),
    outcome: 'duplicate',
    states: [],
    events: [],
  },
  {
    name: 'resolution before any firing',
    latest: undefined,
    incoming: incoming('resolved', S0, { endsAt: T }),
    outcome: 'resolved',
    states: ['resolved'],
    events: [['resolved', true]],
  },
  {
    name: 'resolution of a newer episode than the stored one',
    latest: stored('resolved'),
    incoming: incoming('resolved', S0 + MINUTE, { endsAt: T }),
    outcome: 'resolved',
    states: ['resolved'],
    events: [['resolved', true]],
  },
];

describe('planIngest', () => {
  it.each(ROWS)('$name → $outcome', ({ latest, incoming: alert, outcome, states, events }) => {
    const change = planIngest(latest, alert, context);
    expect(change.outcome).toBe(outcome);
    expect(change.writes.map((write) => write.state)).toEqual(states);
    expect(change.events.map((event) => [event.kind, event.notify])).toEqual(events);
  });

  it('records durations from the first start, and counts refirings', () => {
    const resolved = planIngest(
      stored('active', { notificationCount: 3 }),
      incoming('resolved', S0, { endsAt: S0 + 7 * MINUTE }),
      context,
    );
    expect(resolved.writes[0]).toMatchObject({
      endsAt: S0 + 7 * MINUTE,
      durationMs: 7 * MINUTE,
      notificationCount: 3,
      resolved: { by: 'alertmanager', at: T },
    });
    const refired = planIngest(stored('active', { notificationCount: 3 }), incoming('firing', S0 + MINUTE), context);
    expect(refired.writes[0]).toMatchObject({
      notificationCount: 4,
      lastStartsAt: S0 + MINUTE,
      startsAt: S0,
      lastSeenAt: T,
    });
  });

  it('asks for the silence of a suppressed alert to be expired when Alertmanager resolves it', () => {
    const latest = stored('suppressed', { suppressed: { at: T, by: 'a', until: T + MINUTE, silenceId: 'sil-1' } });
    const change = planIngest(latest, incoming('resolved', S0, { endsAt: T }), context);
    expect(change.events[0]?.detail).toMatchObject({ expire_silence: 'sil-1' });
  });

  it('refreshes only lastSeenAt on a repeat', () => {
    const latest = stored('active');
    const change = planIngest(latest, incoming('firing', S0, { annotations: { summary: 'changed' } }), context);
    expect(change.writes[0]).toEqual({ ...latest, lastSeenAt: T });
  });
});
