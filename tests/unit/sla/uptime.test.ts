import { describe, expect, it } from 'vitest';
import type { Interval } from '../../../src/interval.js';
import type { CheckStatus } from '../../../src/model/result.js';
import type { TimedStatus } from '../../../src/sla/spans.js';
import { combine, summarize, uptimePercent, type UptimeSummary } from '../../../src/sla/uptime.js';

// Every fixture is a window [0, 100) in minutes from T0; the expected minutes were worked out by hand.
const T0 = Date.UTC(2026, 0, 5, 12, 0);
const MIN = 60_000;
const at = (minute: number): number => T0 + minute * MIN;
const result = (minute: number, status: CheckStatus): TimedStatus => ({ startedAt: at(minute), status });
const every = (from: number, to: number, step: number, status: CheckStatus): TimedStatus[] =>
  Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => result(from + i * step, status));
const span = (start: number, end: number): Interval => ({ start: at(start), end: at(end) });

interface Fixture {
  name: string;
  results: TimedStatus[];
  before?: TimedStatus;
  capMinutes: number;
  maintenance?: Interval[];
  /** Minutes: up, degraded, down, maintenance, unknown. */
  minutes: [number, number, number, number, number];
  counts: [total: number, success: number, failed: number];
  /** Expected uptime percent with degraded counted as up, and without. */
  percent: number | undefined;
  percentDegradedDown?: number | undefined;
}

const fixtures: Fixture[] = [
  {
    name: 'healthy every 5 minutes: 100 %',
    results: every(0, 100, 5, 'healthy'),
    capMinutes: 10,
    minutes: [100, 0, 0, 0, 0],
    counts: [20, 20, 0],
    percent: 100,
  },
  {
    // 0..40 healthy covers [0, 50) (the last one capped at 40 + 10); [50, 80) is a gap; down [80, 85); up [85, 100).
    name: 'a gap beyond the cap is unknown, not up: 65 / 70 = 92.857 %',
    results: [...every(0, 45, 5, 'healthy'), result(80, 'down'), ...every(85, 100, 5, 'healthy')],
    capMinutes: 10,
    minutes: [65, 0, 5, 0, 30],
    counts: [13, 12, 1],
    percent: (65 / 70) * 100,
  },
  {
    // healthy [0, 10) and [40, 100); degraded [10, 30); down [30, 40).
    name: 'degraded counted as up: 90 %; not counted: 70 %',
    results: [
      result(0, 'healthy'),
      result(10, 'degraded'),
      result(20, 'degraded'),
      result(30, 'down'),
      ...every(40, 100, 10, 'healthy'),
    ],
    capMinutes: 20,
    minutes: [70, 20, 10, 0, 0],
    counts: [10, 9, 1],
    percent: 90,
    percentDegradedDown: 70,
  },
  {
    // Maintenance [-30, 25) covers the window start: down [0, 25) is excluded, down [25, 30) is not; healthy [30, 100).
    // The results at 0, 10 and 20 started inside maintenance and are not counted.
    name: 'maintenance across the window start: 70 / 75 = 93.333 %',
    results: [result(0, 'down'), result(10, 'down'), result(20, 'down'), ...every(30, 100, 10, 'healthy')],
    before: result(-10, 'healthy'),
    capMinutes: 20,
    maintenance: [span(-30, 25)],
    minutes: [70, 0, 5, 25, 0],
    counts: [7, 7, 0],
    percent: (70 / 75) * 100,
  },
  {
    // down [90, 100) with maintenance [95, 130): only [90, 95) counts.
    name: 'maintenance across the window end: 90 / 95 = 94.737 %',
    results: [...every(0, 90, 10, 'healthy'), result(90, 'down')],
    capMinutes: 20,
    maintenance: [span(95, 130)],
    minutes: [90, 0, 5, 5, 0],
    counts: [10, 9, 1],
    percent: (90 / 95) * 100,
  },
  {
    // Nothing before minute 60: unknown, neither down (would give 30 %) nor up (90 %). up [60, 70) + [80, 100).
    name: 'a check added mid-window: 30 / 40 = 75 %',
    results: [result(60, 'healthy'), result(70, 'down'), result(80, 'healthy'), result(90, 'healthy')],
    capMinutes: 20,
    minutes: [30, 0, 10, 0, 60],
    counts: [4, 3, 1],
    percent: 75,
  },
  {
    // The result at -5 (down) covers [0, 5) by its cap; [5, 10) is a gap; healthy [10, 100).
    name: 'the result in force at the window start covers from the start: 90 / 95 = 94.737 %',
    results: every(10, 100, 10, 'healthy'),
    before: result(-5, 'down'),
    capMinutes: 10,
    minutes: [90, 0, 5, 0, 5],
    counts: [9, 9, 0],
    percent: (90 / 95) * 100,
  },
  {
    name: 'an unknown result counts as unknown time: 50 / 50 = 100 %',
    results: [result(0, 'healthy'), result(50, 'unknown')],
    capMinutes: 60,
    minutes: [50, 0, 0, 0, 50],
    counts: [2, 1, 0],
    percent: 100,
  },
  {
    name: 'an empty window has no percent (not 100, not 0)',
    results: [],
    capMinutes: 10,
    minutes: [0, 0, 0, 0, 100],
    counts: [0, 0, 0],
    percent: undefined,
  },
  {
    name: 'a result before the window older than the cap covers nothing: no percent',
    results: [],
    before: result(-30, 'healthy'),
    capMinutes: 10,
    minutes: [0, 0, 0, 0, 100],
    counts: [0, 0, 0],
    percent: undefined,
  },
  {
    name: 'a window entirely in maintenance has no percent',
    results: every(0, 100, 10, 'down'),
    capMinutes: 20,
    maintenance: [span(-10, 50), span(40, 120)],
    minutes: [0, 0, 0, 100, 0],
    counts: [0, 0, 0],
    percent: undefined,
  },
];

describe('summarize and uptimePercent (hand-computed fixtures)', () => {
  it.each(fixtures)('$name', (fixture) => {
    const summary = summarize({
      results: fixture.results,
      before: fixture.before,
      from: at(0),
      to: at(100),
      capMs: fixture.capMinutes * MIN,
      maintenance: fixture.maintenance ?? [],
    });
    const [up, degraded, down, maintenance, unknown] = fixture.minutes;
    const [total, success, failed] = fixture.counts;
    expect(summary).toEqual({
      upMs: up * MIN,
      degradedMs: degraded * MIN,
      downMs: down * MIN,
      maintenanceMs: maintenance * MIN,
      unknownMs: unknown * MIN,
      checksTotal: total,
      checksSuccess: success,
      checksFailed: failed,
    });
    expectPercent(uptimePercent(summary, true), fixture.percent);
    expectPercent(
      uptimePercent(summary, false),
      'percentDegradedDown' in fixture ? fixture.percentDegradedDown : fixture.percent,
    );
  });

  it('takes results in any order and ignores those outside the window', () => {
    const results = [result(50, 'down'), result(0, 'healthy'), result(100, 'down'), result(-1, 'down')];
    const summary = summarize({ results, from: at(0), to: at(100), capMs: 60 * MIN, maintenance: [] });
    expect(summary).toMatchObject({ upMs: 50 * MIN, downMs: 50 * MIN, checksTotal: 2 });
  });

  it('splits a span exactly at overlapping maintenance edges', () => {
    const summary = summarize({
      results: [result(0, 'down')],
      from: at(0),
      to: at(100),
      capMs: 100 * MIN,
      maintenance: [span(10, 20), span(15, 30), { start: at(50) + 1, end: at(50) + 2 }],
    });
    expect(summary.downMs).toBe(80 * MIN - 1);
    expect(summary.maintenanceMs).toBe(20 * MIN + 1);
  });
});

describe('combine', () => {
  it('adds summaries of adjacent windows to the summary of the whole', () => {
    const results = [result(0, 'healthy'), result(30, 'down'), result(45, 'degraded'), result(70, 'healthy')];
    const input = { results, capMs: 20 * MIN, maintenance: [span(60, 65)] };
    const whole = summarize({ ...input, from: at(0), to: at(100) });
    const first = summarize({ ...input, from: at(0), to: at(40) });
    const second = summarize({ ...input, before: result(30, 'down'), from: at(40), to: at(100) });
    expect(combine([first, second])).toEqual(whole);
    expect(combine([])).toEqual<UptimeSummary>(summarize({ ...input, results: [], from: at(0), to: at(0) }));
  });
});

function expectPercent(actual: number | undefined, expected: number | undefined): void {
  if (expected === undefined) expect(actual).toBeUndefined();
  else expect(actual).toBeCloseTo(expected, 9);
}
