// A fresh install's status page: ten minutes of history must not read as three months of red.

import { describe, expect, it } from 'vitest';
import { renderStatusPage } from '../../../src/status/status-html.js';
import { statusJson } from '../../../src/status/status-json.js';
import { buildStatusView } from '../../../src/status/status-view.js';
import { demoData, FakeStatusSource, MIN, NOW } from './fake-status-source.js';

function freshInstall(): ReturnType<typeof demoData> {
  const data = demoData();
  data.firstResultAt = NOW - 18 * MIN;
  const report = { uptimePercent: 59.5, targetPercent: 99.9, status: 'breached' as const };
  data.uptime = { website: { '24h': report, '7d': report, '30d': report, '90d': report } };
  data.daily = {};
  return data;
}

describe('the status page of a fresh install', () => {
  it('says since when each figure counts and keeps it uncoloured until the window is a tenth covered', async () => {
    const view = await buildStatusView(new FakeStatusSource(freshInstall()), { includePrivate: false });
    const website = view.components[0]!;
    expect(website.uptime.map((u) => [u.period, u.since, u.judged])).toEqual([
      ['24h', NOW - 18 * MIN, false],
      ['7d', NOW - 18 * MIN, false],
      ['30d', NOW - 18 * MIN, false],
      ['90d', NOW - 18 * MIN, false],
    ]);
    const page = renderStatusPage(view);
    expect(page).toContain('<li class="unjudged">24 hours <b>59.50 %</b> <small>since 11:42</small></li>');
    expect(page).not.toContain('<li class="breached">');
    expect(page).toContain('Monitored since 11:42');
    expect(statusJson(view)['components']).toContainEqual(
      expect.objectContaining({ id: 'website', data_since: '2026-11-20T11:42:00.000Z' }),
    );
  });

  it('draws the days before the first result fainter, saying so', async () => {
    const page = renderStatusPage(
      await buildStatusView(new FakeStatusSource(freshInstall()), { includePrivate: false }),
    );
    expect(page.match(/class="none before"/g)).toHaveLength(2 * 89);
    expect(page).toContain('title="2026-11-19: before monitoring started"');
  });

  it('colours a window by its SLA once a tenth of it is covered', async () => {
    const data = freshInstall();
    data.firstResultAt = NOW - 3 * 60 * MIN;
    const view = await buildStatusView(new FakeStatusSource(data), { includePrivate: false });
    expect(view.components[0]!.uptime.map((u) => u.judged)).toEqual([true, false, false, false]);
  });

  it('links each check to its page', async () => {
    const page = renderStatusPage(await buildStatusView(new FakeStatusSource(demoData()), { includePrivate: false }));
    expect(page).toContain('<a href="checks/web_home"><span class="dot s-operational"></span>Home page:');
  });
});
