// SLA fixtures where a recurring maintenance window meets a DST change in its own time zone. A check probed every
// 10 minutes is down for exactly the hour(s) written below; the expected percent follows from where the window lands.

import { describe, expect, it } from 'vitest';
import { expandWindows } from '../../../src/maintenance/windows.js';
import type { MaintenanceWindow } from '../../../src/model/maintenance.js';
import type { CheckStatus } from '../../../src/model/result.js';
import type { TimedStatus } from '../../../src/sla/spans.js';
import { summarize, uptimePercent } from '../../../src/sla/uptime.js';

const MIN = 60_000;
const check = { id: 'api_root', group: 'critical', component: 'backend' };

function probes(from: string, to: string, downFrom: string, downTo: string): TimedStatus[] {
  const results: TimedStatus[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += 10 * MIN) {
    const status: CheckStatus = t >= Date.parse(downFrom) && t < Date.parse(downTo) ? 'down' : 'healthy';
    results.push({ startedAt: t, status });
  }
  return results;
}

function nightly(cron: string): MaintenanceWindow {
  return { kind: 'recurring', id: 'nightly', cron, durationMs: 60 * MIN, timezone: 'America/New_York', scope: {} };
}

function percent(window: MaintenanceWindow, results: TimedStatus[], from: string, to: string): number | undefined {
  const [start, end] = [Date.parse(from), Date.parse(to)];
  const maintenance = expandWindows([window], check, start, end);
  return uptimePercent(summarize({ results, from: start, to: end, capMs: 20 * MIN, maintenance }), true);
}

describe('maintenance window on DST days (America/New_York)', () => {
  it('spring-forward: 02:30 does not exist, the window runs 03:30–04:30 EDT; 290 / 300 = 96.667 %', () => {
    // Window 00:00–06:00 EST/EDT = 05:00Z–11:00Z (360 min). Down 07:30Z–08:40Z (70 min); the window 07:30Z–08:30Z
    // removes 60 of them, leaving 10 down out of 300 measured. (Had the window started at 03:00 EDT = 07:00Z instead,
    // 40 minutes would be left down: 86.667 %; had it been skipped, 70 of 360: 80.556 %.)
    const results = probes(
      '2025-03-09T05:00:00Z',
      '2025-03-09T11:00:00Z',
      '2025-03-09T07:30:00Z',
      '2025-03-09T08:40:00Z',
    );
    expect(percent(nightly('30 2 * * *'), results, '2025-03-09T05:00:00Z', '2025-03-09T11:00:00Z')).toBeCloseTo(
      (290 / 300) * 100,
      9,
    );
  });

  it('fall-back: 01:30 happens twice, the window only once (the first, EDT); 120 / 180 = 66.667 %', () => {
    // 04:00Z–08:00Z (240 min). Down 05:30Z–07:30Z (120 min): the first 01:30 (EDT, 05:30Z) takes out 60 minutes; the
    // second 01:30 (EST, 06:30Z) is no window, so 60 minutes stay down. (Twice would give 100 %.)
    const results = probes(
      '2025-11-02T04:00:00Z',
      '2025-11-02T08:00:00Z',
      '2025-11-02T05:30:00Z',
      '2025-11-02T07:30:00Z',
    );
    expect(percent(nightly('30 1 * * *'), results, '2025-11-02T04:00:00Z', '2025-11-02T08:00:00Z')).toBeCloseTo(
      (120 / 180) * 100,
      9,
    );
  });
});
