import { describe, expect, it } from 'vitest';
import { renderCheckDetail } from '../../../src/status/check-detail-html.js';
import { buildCheckDetail } from '../../../src/status/check-detail-view.js';
import { chartBuckets, niceCeiling } from '../../../src/status/response-chart.js';
import type { StatusResult } from '../../../src/status/status-source.js';
import { demoData, FakeStatusSource, HOUR, MIN, NOW, SECRET_MESSAGE } from './fake-status-source.js';

/** A day of api_root every minute: ~80 ms, down with a timeout for the last 26 minutes. */
function dayOfResults(): StatusResult[] {
  return Array.from({ length: 24 * 60 }, (_, index) => {
    const startedAt = NOW - 24 * HOUR + index * MIN;
    const down = startedAt >= NOW - 26 * MIN;
    return {
      status: down ? 'down' : 'healthy',
      ...(down ? { reason: 'timeout' as const } : {}),
      message: down ? 'no answer within 5 s from 10.0.4.7:8443' : 'HTTP 200',
      startedAt,
      durationMs: down ? 5000 : 80 + (index % 7),
      inMaintenance: false,
    };
  });
}

function source(): FakeStatusSource {
  const data = demoData();
  data.results = { api_root: dayOfResults(), db_primary: [] };
  return new FakeStatusSource(data);
}

describe('a check page', () => {
  it('shows a public check with its chart, latest results and incidents, in neutral words', async () => {
    const view = await buildCheckDetail(source(), 'api_root', { includePrivate: false, range: '24h' });
    expect(view?.components).toEqual(['Public API']);
    expect(view?.chart.buckets).toHaveLength(96);
    expect(view?.recent).toHaveLength(20);
    expect(view?.incidents.map((incident) => incident.id)).toEqual(['inc-api']);
    const page = renderCheckDetail(view!);
    expect(page).toContain('<h1>API root</h1>');
    expect(page).toMatch(/<svg class="chart" viewBox="0 0 1000 240" role="img" aria-label="Response time of API root/);
    expect(page).toContain('<polyline class="line"');
    expect(page).toContain('<rect class="fail"');
    expect(page).toContain('not responding');
    expect(page).not.toContain('10.0.4.7');
    expect(page).not.toMatch(/<script|style=|src=/i);
    expect(page).toContain('<a href="?range=7d">7 days</a>');
  });

  it('has no page for a private check without the token, and keeps the token in links with it', async () => {
    expect(await buildCheckDetail(source(), 'db_primary', { includePrivate: false, range: '24h' })).toBeUndefined();
    expect(await buildCheckDetail(source(), 'no_such', { includePrivate: true, range: '24h' })).toBeUndefined();
    const view = await buildCheckDetail(source(), 'db_primary', { includePrivate: true, range: '7d' });
    const page = renderCheckDetail(view!, { token: 'a b' });
    expect(page).toContain(SECRET_MESSAGE.replace(/"/g, '&quot;'));
    expect(page).toContain('<a href="?range=24h&amp;token=a+b">24 hours</a>');
    expect(page).toContain('<a href="../?token=a+b">');
  });
});

describe('the response-time chart', () => {
  it('averages answered probes per bucket and counts failures apart', () => {
    const range = { from: 0, to: 4 * MIN, bucketMs: 2 * MIN };
    const at = (startedAt: number, status: 'healthy' | 'down', durationMs: number): StatusResult => ({
      status,
      message: '',
      startedAt,
      durationMs,
      inMaintenance: false,
    });
    expect(chartBuckets([at(0, 'healthy', 100), at(MIN, 'down', 5000), at(MIN + 1, 'healthy', 300)], range)).toEqual([
      { start: 0, meanMs: 200, results: 3, failed: 1 },
      { start: 2 * MIN, results: 0, failed: 0 },
    ]);
  });

  it.each([
    [87, 100],
    [120, 200],
    [4999, 5000],
    [0, 1],
  ])('scales %d ms to %d', (value, top) => {
    expect(niceCeiling(value)).toBe(top);
  });
});
