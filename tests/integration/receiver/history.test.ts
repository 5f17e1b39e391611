// The read side of the admin API over real HTTP: filters and pagination of the alert history, the summary, and the
// patterns of a period (distribution, peak hour, mean times to acknowledge and resolve, recurring alerts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertPage,
  type AlertPatternsView,
  type AlertSummaryView,
  type ErrorAnswer,
  type ReceiverHarness,
  startReceiver,
} from './receiver-harness.js';
import { alert, down, notification } from './payloads.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The harness clock starts at 2025-05-06T09:00Z; alerts start in the hours before. */
const BASE = Date.UTC(2025, 4, 6, 0, 0);

let receiver: ReceiverHarness;
const ids: Record<string, string> = {};

async function fire(key: string, labels: Record<string, string>, startsAt: number): Promise<void> {
  const answer = await receiver.post(notification([alert({ labels, startsAt })]));
  expect(answer.status).toBe(200);
  ids[key] = (await receiver.allAlerts()).find((each) => each.starts_at === new Date(startsAt).toISOString())!.id;
}

beforeAll(async () => {
  receiver = await startReceiver({ configYml: 'receiver: {dedup_window: 5m}\n' });
  // `flaky` fires three times in separate episodes (each resolved), at 02:00, 03:00 and 04:00.
  for (const hour of [2, 3, 4]) {
    await fire(`flaky${hour}`, down('flaky'), BASE + hour * HOUR);
    await receiver.post(
      notification([
        alert({
          labels: down('flaky'),
          status: 'resolved',
          startsAt: BASE + hour * HOUR,
          endsAt: BASE + hour * HOUR + 10 * MINUTE,
        }),
      ]),
    );
  }
  await fire('web', down('web', 'warning'), BASE + 4 * HOUR + 5 * MINUTE);
  await fire('slow', { alertname: 'CheckSlow', check: 'api', severity: 'warning' }, BASE + 4 * HOUR + 30 * MINUTE);
  await fire('cert', { alertname: 'CertificateExpiring', check: 'edge', severity: 'info' }, BASE + 7 * HOUR);
  await receiver.admin(`/api/v1/alerts/${ids['web']}/acknowledge`, { body: { by: 'alice' } });
  await receiver.admin(`/api/v1/alerts/${ids['slow']}/suppress`, { body: { by: 'alice', duration: '1h' } });
});

afterAll(async () => {
  await receiver.stop();
});

const list = async (query: string) => (await receiver.admin<AlertPage>(`/api/v1/alerts?${query}`)).body;
const checksOf = (body: AlertPage) => body.alerts.map((each) => each.check);

describe('GET /api/v1/alerts', () => {
  it('lists newest first and filters by state, severity, check and since', async () => {
    expect(checksOf(await list(''))).toEqual(['edge', 'api', 'web', 'flaky', 'flaky', 'flaky']);
    expect(checksOf(await list('state=resolved'))).toEqual(['flaky', 'flaky', 'flaky']);
    expect(checksOf(await list('state=acknowledged,suppressed'))).toEqual(['api', 'web']);
    expect(checksOf(await list('severity=warning'))).toEqual(['api', 'web']);
    expect(checksOf(await list('check=flaky&state=resolved'))).toEqual(['flaky', 'flaky', 'flaky']);
    expect(checksOf(await list('since=2025-05-06T04:00:00Z'))).toEqual(['edge', 'api', 'web', 'flaky']);
    // A duration means "that long ago" by the receiver's clock (09:00).
    expect(checksOf(await list('since=3h'))).toEqual(['edge']);
  });

  it('pages with a cursor until every alert was seen exactly once', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page += 1) {
      const body = await list(`limit=4${cursor}`);
      seen.push(...body.alerts.map((each) => each.id));
      if (body.next_cursor === null) break;
      cursor = `&cursor=${body.next_cursor}`;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect((await list('limit=2')).next_cursor).toEqual(expect.any(String));
  });

  it('refuses bad parameters, naming them', async () => {
    const cases: Array<[string, RegExp]> = [
      ['state=open', /^state: must be one or more of active, acknowledged, suppressed, resolved, expired/],
      ['limit=0', /^limit: must be a whole number from 1 to 1000/],
      ['limit=many', /^limit:/],
      ['since=last+tuesday', /^since: must be an RFC 3339 time or a duration/],
      ['cursor=bogus', /^cursor: not a cursor this API returned/],
      ['check=a&check=b', /^check: give it once/],
    ];
    for (const [query, message] of cases) {
      const answer = await receiver.admin<ErrorAnswer>(`/api/v1/alerts?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error, query).toMatch(message);
    }
  });
});

describe('GET /api/v1/alerts/summary', () => {
  it('counts by state, open ones by severity and type, the muted, and shows the newest', async () => {
    const summary = (await receiver.admin<AlertSummaryView>('/api/v1/alerts/summary')).body;
    expect(summary).toMatchObject({
      total: 6,
      open: 3,
      by_state: { active: 1, acknowledged: 1, suppressed: 1, resolved: 3, expired: 0 },
      by_severity: { info: 1, warning: 2 },
      by_type: { CertificateExpiring: 1, CheckDown: 1, CheckSlow: 1 },
      muted: 1,
    });
    expect(summary.recent.map((each) => each.check)).toEqual(['edge', 'api', 'web', 'flaky', 'flaky', 'flaky']);
  });
});

describe('GET /api/v1/alerts/patterns', () => {
  it('finds the distribution, the peak hour, mean times and the recurring check', async () => {
    const patterns = (await receiver.admin<AlertPatternsView>('/api/v1/alerts/patterns?days=7')).body;
    const hourly = Array.from({ length: 24 }, () => 0);
    hourly[2] = 1;
    hourly[3] = 1;
    hourly[4] = 3;
    hourly[7] = 1;
    expect(patterns).toMatchObject({
      days: 7,
      total: 6,
      type_distribution: { CheckDown: 4, CertificateExpiring: 1, CheckSlow: 1 },
      most_common_type: { type: 'CheckDown', count: 4 },
      hourly_distribution: hourly,
      peak_hour: 4,
      mean_time_to_resolve_seconds: 600,
      mean_time_to_acknowledge_seconds: (Date.UTC(2025, 4, 6, 9) - (BASE + 4 * HOUR + 5 * MINUTE)) / 1000,
      recurring: [
        { alertname: 'CheckDown', check: 'flaky', firings: 3, alerts: 3, last_started_at: '2025-05-06T04:00:00.000Z' },
      ],
    });
    expect(Object.keys(patterns.type_distribution)[0]).toBe('CheckDown');
  });

  it('only looks at the period asked for, and refuses a bad one', async () => {
    receiver.clock.advance(8 * 24 * HOUR);
    expect((await receiver.admin('/api/v1/alerts/patterns?days=7')).body).toMatchObject({
      total: 0,
      peak_hour: null,
      recurring: [],
    });
    expect((await receiver.admin<AlertPatternsView>('/api/v1/alerts/patterns?days=30')).body.total).toBe(6);
    expect((await receiver.admin('/api/v1/alerts/patterns?days=365')).status).toBe(400);
  });
});
