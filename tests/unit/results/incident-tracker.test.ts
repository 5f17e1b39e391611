import { describe, expect, it } from 'vitest';
import type { CheckStatus } from '../../../src/model/result.js';
import { IncidentTracker, type TrackedResult, type TrackerOptions } from '../../../src/results/incident-tracker.js';
import type { Incident } from '../../../src/store/store.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 12, 0);
const at = (minute: number): number => T0 + minute * MIN;

function result(minute: number, status: CheckStatus, checkId = 'api'): TrackedResult {
  if (status !== 'down')
    return { checkId, status, message: status === 'degraded' ? 'slow' : 'ok', startedAt: at(minute) };
  return { checkId, status, reason: 'status_code', message: `HTTP 503 at minute ${minute}`, startedAt: at(minute) };
}

function tracker(options: Partial<TrackerOptions> = {}, restored: Incident[] = []): IncidentTracker {
  let next = 0;
  return new IncidentTracker({ newId: () => `inc-${++next}`, ...options }, restored);
}

/** Feeds results one at a time and records what each call returned. */
function feed(incidents: IncidentTracker, results: TrackedResult[]): Incident[][] {
  return results.map((r) => incidents.observe([r]));
}

describe('IncidentTracker', () => {
  it('opens on down, counts failures, closes on the first healthy result', () => {
    const incidents = tracker();
    const changes = feed(incidents, [
      result(0, 'healthy'),
      result(1, 'down'),
      result(2, 'down'),
      result(3, 'healthy'),
      result(4, 'healthy'),
    ]);
    expect(changes.map((c) => c.length)).toEqual([0, 1, 1, 1, 0]);
    expect(changes[1]).toEqual<Incident[]>([
      {
        id: 'inc-1',
        checkId: 'api',
        openedAt: at(1),
        firstReason: 'status_code',
        firstMessage: 'HTTP 503 at minute 1',
        lastMessage: 'HTTP 503 at minute 1',
        failures: 1,
        lastFailureAt: at(1),
      },
    ]);
    expect(changes[2]?.[0]).toMatchObject({
      id: 'inc-1',
      failures: 2,
      lastMessage: 'HTTP 503 at minute 2',
      lastFailureAt: at(2),
    });
    expect(changes[2]?.[0]).not.toHaveProperty('closedAt');
    expect(changes[3]?.[0]).toMatchObject({
      id: 'inc-1',
      closedAt: at(3),
      failures: 2,
      firstMessage: 'HTTP 503 at minute 1',
    });
    expect(incidents.openIncident('api')).toBeUndefined();
  });

  it('closes on degraded too: the check answers again', () => {
    const changes = feed(tracker(), [result(0, 'down'), result(1, 'degraded')]);
    expect(changes[1]?.[0]).toMatchObject({ closedAt: at(1) });
  });

  it('with closeAfter 3, closes after three passes in a row, as of the first of them', () => {
    const incidents = tracker({ closeAfter: 3 });
    const changes = feed(incidents, [
      result(0, 'down'),
      result(1, 'healthy'),
      result(2, 'healthy'),
      result(3, 'down'), // the streak starts over
      result(4, 'healthy'),
      result(5, 'healthy'),
      result(6, 'healthy'),
    ]);
    expect(changes.map((c) => c.length)).toEqual([1, 0, 0, 1, 0, 0, 1]);
    expect(changes[6]?.[0]).toMatchObject({ id: 'inc-1', failures: 2, closedAt: at(4) });
  });

  it('reopens the same incident when a failure follows within 5 minutes of the close (flapping)', () => {
    const incidents = tracker();
    const changes = feed(incidents, [
      result(0, 'down'),
      result(1, 'healthy'), // closed at 1
      result(6, 'down'), // 5 minutes after the close: reopened
      result(7, 'healthy'), // closed at 7
      result(12.5, 'down'), // 5.5 minutes after: a new incident
    ]);
    expect(changes[2]?.[0]).toMatchObject({ id: 'inc-1', failures: 2, openedAt: at(0), lastFailureAt: at(6) });
    expect(changes[2]?.[0]).not.toHaveProperty('closedAt');
    expect(changes[3]?.[0]).toMatchObject({ id: 'inc-1', closedAt: at(7) });
    expect(changes[4]?.[0]).toMatchObject({ id: 'inc-2', failures: 1, openedAt: at(12.5) });
  });

  it('treats unknown results as neither failing nor passing', () => {
    const incidents = tracker();
    const changes = feed(incidents, [
      result(0, 'unknown'),
      result(1, 'down'),
      result(2, 'unknown'),
      result(3, 'healthy'),
    ]);
    expect(changes.map((c) => c.length)).toEqual([0, 1, 0, 1]);
    expect(changes[3]?.[0]).toMatchObject({ failures: 1, closedAt: at(3) });
  });

  it('tracks checks apart and returns each changed incident once per batch, in its latest state', () => {
    const incidents = tracker();
    const changed = incidents.observe([
      result(0, 'down', 'api'),
      result(0, 'down', 'db'),
      result(1, 'down', 'api'),
      result(1, 'healthy', 'web'),
    ]);
    expect(changed.map((i) => [i.id, i.checkId, i.failures])).toEqual([
      ['inc-1', 'api', 2],
      ['inc-2', 'db', 1],
    ]);
    expect(incidents.openIncident('db')?.id).toBe('inc-2');
  });

  it('carries on with an open incident restored from the store after a restart', () => {
    const open: Incident = {
      id: 'stored-7',
      checkId: 'api',
      openedAt: at(-30),
      firstReason: 'timeout',
      firstMessage: 'timed out',
      lastMessage: 'timed out',
      failures: 4,
      lastFailureAt: at(-1),
    };
    const incidents = tracker({}, [open]);
    const changes = feed(incidents, [result(0, 'down'), result(1, 'healthy')]);
    expect(changes[0]?.[0]).toMatchObject({ id: 'stored-7', failures: 5, firstReason: 'timeout' });
    expect(changes[1]?.[0]).toMatchObject({ id: 'stored-7', closedAt: at(1) });
  });

  it('reopens an incident closed just before the restart, and prefers the open one of a check', () => {
    const closed: Incident = {
      id: 'old',
      checkId: 'api',
      openedAt: at(-20),
      closedAt: at(-2),
      firstReason: 'connect',
      firstMessage: 'refused',
      lastMessage: 'refused',
      failures: 3,
      lastFailureAt: at(-3),
    };
    const older: Incident = { ...closed, id: 'older', openedAt: at(-90), closedAt: at(-60) };
    const openDb: Incident = { ...closed, id: 'db-open', checkId: 'db', closedAt: undefined };
    delete openDb.closedAt;
    const incidents = tracker({}, [closed, older, { ...openDb, id: 'db-closed', closedAt: at(-1) }, openDb]);
    expect(incidents.observe([result(0, 'down')])).toMatchObject([{ id: 'old', failures: 4 }]);
    expect(incidents.openIncident('db')?.id).toBe('db-open');
  });
});
