import { describe, expect, it } from 'vitest';
import type { Interval } from '../../../src/interval.js';
import { appliesTo, expandWindows, inMaintenance, occurrences } from '../../../src/maintenance/windows.js';
import type { MaintenanceScope, MaintenanceWindow, RecurringWindow } from '../../../src/model/maintenance.js';

const HOUR = 3_600_000;
const check = { id: 'api_root', group: 'critical', component: 'backend' };
const iso = (intervals: Interval[]): [string, string][] =>
  intervals.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()]);

function recurring(cron: string, timezone: string, durationMs = HOUR, scope: MaintenanceScope = {}): RecurringWindow {
  return { kind: 'recurring', id: 'nightly', cron, durationMs, timezone, scope };
}

function dayOf(date: string): [number, number] {
  const start = Date.parse(`${date}T00:00:00Z`);
  return [start - 12 * HOUR, start + 36 * HOUR];
}

describe('recurring windows across DST', () => {
  // Each row: the occurrences whose start falls on that UTC date ± 12 h, as worked out from the zone's rules.
  it.each([
    [
      'America/New_York',
      '30 2 * * *',
      '2025-03-08',
      ['2025-03-08T07:30:00.000Z', '2025-03-09T07:30:00.000Z'],
      'day before spring-forward, 02:30 EST',
    ],
    // 02:30 does not exist on 9 March: once, shifted forward by the jump to 03:30 EDT (07:30Z).
    [
      'America/New_York',
      '30 2 * * *',
      '2025-03-09',
      ['2025-03-09T07:30:00.000Z', '2025-03-10T06:30:00.000Z'],
      'spring-forward',
    ],
    // 01:30 happens twice on 2 November: once, the first (EDT, 05:30Z), not again at 06:30Z.
    [
      'America/New_York',
      '30 1 * * *',
      '2025-11-02',
      ['2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z'],
      'fall-back',
    ],
    [
      'Europe/Berlin',
      '30 2 * * *',
      '2025-03-30',
      ['2025-03-30T01:30:00.000Z', '2025-03-31T00:30:00.000Z'],
      'spring-forward',
    ],
    [
      'Europe/Berlin',
      '30 2 * * *',
      '2025-10-26',
      ['2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z'],
      'fall-back',
    ],
  ])('%s %s on %s → %j (%s)', (zone, cron, date, expected) => {
    const [from, to] = dayOf(date);
    const starts = occurrences(recurring(cron, zone), from, to).map((i) => new Date(i.start).toISOString());
    expect(starts).toEqual(expected);
  });

  it('keeps the duration in real time across the jump (03:30–04:30 EDT on spring-forward day)', () => {
    const [from, to] = dayOf('2025-03-09');
    expect(iso(occurrences(recurring('30 2 * * *', 'America/New_York'), from, to)).at(0)).toEqual([
      '2025-03-09T07:30:00.000Z',
      '2025-03-09T08:30:00.000Z',
    ]);
  });

  it('counts a skipped time that lands on another match once', () => {
    const [from, to] = dayOf('2025-03-09');
    const starts = occurrences(recurring('30 2,3 * * *', 'America/New_York', 10 * 60_000), from, to).map((i) =>
      new Date(i.start).toISOString(),
    );
    expect(starts.filter((s) => s.startsWith('2025-03-09'))).toEqual(['2025-03-09T07:30:00.000Z']);
  });
});

describe('expandWindows', () => {
  const sundays: MaintenanceWindow = recurring('0 3 * * 0', 'Europe/Berlin', 2 * HOUR, { groups: ['critical'] });
  const oneOff: MaintenanceWindow = {
    kind: 'one-off',
    id: 'migration',
    start: '2026-01-06T23:00:00+01:00',
    end: '2026-01-07T01:30:00+01:00',
    scope: { checks: ['api_root'] },
  };

  it('expands, clips to the range and merges per check', () => {
    // Sunday 4 and 11 January 2026, 03:00–05:00 CET = 02:00–04:00Z; the one-off is 22:00Z–00:30Z.
    const from = Date.parse('2026-01-04T03:00:00Z');
    const to = Date.parse('2026-01-11T03:00:00Z');
    expect(iso(expandWindows([sundays, oneOff], check, from, to))).toEqual([
      ['2026-01-04T03:00:00.000Z', '2026-01-04T04:00:00.000Z'],
      ['2026-01-06T22:00:00.000Z', '2026-01-07T00:30:00.000Z'],
      ['2026-01-11T02:00:00.000Z', '2026-01-11T03:00:00.000Z'],
    ]);
  });

  it('merges overlapping windows', () => {
    const long = recurring('0 * * * *', 'UTC', 90 * 60_000);
    const from = Date.parse('2026-01-01T00:00:00Z');
    expect(iso(expandWindows([long], check, from, from + 3 * HOUR))).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-01-01T03:00:00.000Z'],
    ]);
  });

  it('leaves out windows scoped to other checks', () => {
    const other = { id: 'db', group: 'infra', component: 'database' };
    expect(
      expandWindows([sundays, oneOff], other, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-02-01T00:00:00Z')),
    ).toEqual([]);
  });
});

describe('appliesTo', () => {
  it.each<[MaintenanceScope, boolean]>([
    [{}, true],
    [{ checks: [], groups: [], components: [] }, true],
    [{ checks: ['api_root'] }, true],
    [{ checks: ['other'] }, false],
    [{ groups: ['critical'] }, true],
    [{ components: ['backend'] }, true],
    [{ checks: ['other'], components: ['backend'] }, true],
    [{ checks: ['other'], groups: ['infra'], components: ['database'] }, false],
  ])('%j → %s', (scope, expected) => {
    expect(appliesTo(recurring('0 3 * * *', 'UTC', HOUR, scope), check)).toBe(expected);
  });
});

describe('inMaintenance', () => {
  const window = recurring('0 3 * * *', 'America/New_York', 30 * 60_000);
  it.each([
    ['2026-01-05T07:59:59.999Z', false],
    ['2026-01-05T08:00:00.000Z', true],
    ['2026-01-05T08:29:59.999Z', true],
    ['2026-01-05T08:30:00.000Z', false],
  ])('%s → %s', (at, expected) => {
    expect(inMaintenance([window], check, Date.parse(at))).toBe(expected);
  });
});
