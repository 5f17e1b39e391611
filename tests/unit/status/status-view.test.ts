import { describe, expect, it } from 'vitest';
import { statusJson } from '../../../src/status/status-json.js';
import { BAR_DAYS, buildStatusView } from '../../../src/status/status-view.js';
import { DAY, demoData, FakeStatusSource, HOUR, MIN, NOW, SECRET_MESSAGE } from './fake-status-source.js';

describe('buildStatusView, public', () => {
  it('leaves private components, their checks, incidents and maintenance out entirely', async () => {
    const source = new FakeStatusSource(demoData());
    const view = await buildStatusView(source, { includePrivate: false });

    expect(view.includesPrivate).toBe(false);
    expect(view.components.map((c) => c.id)).toEqual(['website', 'api']);
    const checkIds = view.components.flatMap((c) => c.checks.map((check) => check.id));
    expect(checkIds).toEqual(['web_home', 'web_login', 'api_root', 'api_search']);
    // The fake returns the private incident anyway: the view filters it itself.
    expect(view.incidents.current.map((i) => i.id)).toEqual(['inc-api']);
    expect(view.maintenance.map((m) => m.id)).toEqual(['web-deploy']);
    expect(JSON.stringify(statusJson(view))).not.toContain(SECRET_MESSAGE);
    expect(JSON.stringify(statusJson(view))).not.toMatch(/infrastructure|db_primary|redis/i);
  });

  it('asks the source only for incidents of visible checks', async () => {
    const source = new FakeStatusSource(demoData());
    await buildStatusView(source, { includePrivate: false });
    expect(source.incidentQueries).toEqual([
      { since: NOW - 7 * DAY, checkIds: ['web_home', 'web_login', 'api_root', 'api_search'], limit: 100 },
    ]);
  });

  it('derives component and overall status from the current checks', async () => {
    const view = await buildStatusView(new FakeStatusSource(demoData()), { includePrivate: false });
    expect(view.components.map((c) => [c.id, c.status])).toEqual([
      ['website', 'operational'],
      ['api', 'partial_outage'],
    ]);
    expect(view.status).toBe('partial_outage');
    const apiRoot = view.components[1]?.checks[0];
    expect(apiRoot).toMatchObject({ id: 'api_root', name: 'API root', state: 'down', reason: 'timeout' });
  });

  it('splits open incidents from those closed within 7 days, with check name, components and duration', async () => {
    const view = await buildStatusView(new FakeStatusSource(demoData()), { includePrivate: false });
    expect(view.incidents.current).toEqual([
      expect.objectContaining({
        id: 'inc-api',
        checkName: 'API root',
        components: ['Public API'],
        durationMs: 26 * MIN,
      }),
    ]);
    // inc-old closed 8 days ago: past the page's week.
    expect(view.incidents.recent).toEqual([
      expect.objectContaining({ id: 'inc-login', checkName: 'Login', components: ['Website'], durationMs: 12 * MIN }),
    ]);
  });

  it('has 90 daily bars per component, oldest first, days without data as `none`', async () => {
    const view = await buildStatusView(new FakeStatusSource(demoData()), { includePrivate: false });
    const days = view.components[0]!.days;
    expect(days).toHaveLength(BAR_DAYS);
    expect(days.at(-1)?.day).toBe('2026-11-20');
    expect(days[0]?.day).toBe('2026-08-23');
    expect(days.at(-4)).toMatchObject({ level: 'major', label: '2026-11-17: 97.50 % up, 36 min down' });
    expect(days.at(-2)).toMatchObject({ level: 'minor', label: '2026-11-19: 99.86 % up, 2 min down' });
    expect(days.filter((d) => d.level === 'ok')).toHaveLength(87);
  });

  it('reports the configured periods per component, in order', async () => {
    const view = await buildStatusView(new FakeStatusSource(demoData()), { includePrivate: false });
    expect(view.components[1]?.uptime).toEqual([
      { period: '24h', uptimePercent: 98.2, targetPercent: 99.95, status: 'breached', judged: true },
      { period: '7d', uptimePercent: 99.74, targetPercent: 99.95, status: 'warning', judged: true },
      { period: '30d', uptimePercent: 99.93, targetPercent: 99.95, status: 'warning', judged: true },
      { period: '90d', uptimePercent: 99.977, targetPercent: 99.95, status: 'compliant', judged: true },
    ]);
  });

  it('asks for each period once, and leaves out a period the source has no report of for a component', async () => {
    const source = new FakeStatusSource(demoData());
    const asked: string[] = [];
    source.componentUptime = (window) => {
      asked.push(window);
      return Promise.resolve(
        new Map(
          window === '7d' ? [] : [['api', { uptimePercent: 99.5, targetPercent: 99.95, status: 'warning' as const }]],
        ),
      );
    };
    const view = await buildStatusView(source, { includePrivate: false });
    expect(asked).toEqual(['24h', '7d', '30d', '90d']);
    expect(view.components[1]?.uptime.map((u) => u.period)).toEqual(['24h', '30d', '90d']);
    expect(view.components[0]?.uptime).toEqual([]);
  });

  it('shows a check listed by a public and a private component, under the public one', async () => {
    const data = demoData();
    const infrastructure = data.settings.components[2]!;
    infrastructure.checks = [...infrastructure.checks, 'api_root'];
    const view = await buildStatusView(new FakeStatusSource(data), { includePrivate: false });
    expect(view.incidents.current.map((i) => [i.id, i.components])).toEqual([['inc-api', ['Public API']]]);
  });

  it('is all unknown before any check ran', async () => {
    const data = demoData();
    data.checks = data.checks.map(({ id, name }) => ({ id, name }));
    data.incidents = [];
    const view = await buildStatusView(new FakeStatusSource(data), { includePrivate: false });
    expect(view.status).toBe('unknown');
    expect(view.components.every((c) => c.status === 'unknown')).toBe(true);
  });
});

describe('buildStatusView, private', () => {
  it('includes the private component, its checks, incidents and maintenance', async () => {
    const view = await buildStatusView(new FakeStatusSource(demoData()), { includePrivate: true });
    expect(view.includesPrivate).toBe(true);
    expect(view.components.map((c) => [c.id, c.public, c.status])).toEqual([
      ['website', true, 'operational'],
      ['api', true, 'partial_outage'],
      // db down, redis in maintenance: the only judged check is down.
      ['infrastructure', false, 'major_outage'],
    ]);
    expect(view.incidents.current.map((i) => i.id)).toEqual(['inc-db', 'inc-api']);
    expect(view.maintenance).toEqual([
      {
        id: 'redis-upgrade',
        description: 'Redis upgrade',
        start: NOW - 30 * MIN,
        end: NOW + 30 * MIN,
        ongoing: true,
        checkIds: ['redis_cache'],
        components: ['Infrastructure'],
      },
      expect.objectContaining({ id: 'web-deploy', ongoing: false, start: NOW + DAY, end: NOW + DAY + HOUR }),
    ]);
    expect(view.status).toBe('partial_outage');
  });
});

describe('statusJson', () => {
  it('uses snake_case keys, ISO times and null for absent values', async () => {
    const data = demoData();
    data.settings.rawMessages = true;
    const json = statusJson(await buildStatusView(new FakeStatusSource(data), { includePrivate: false }));
    expect(json).toMatchObject({
      title: 'Acme status',
      generated_at: '2026-11-20T12:00:00.000Z',
      includes_private: false,
      status: 'partial_outage',
      status_text: 'Partial outage',
    });
    const components = json['components'] as Array<Record<string, unknown>>;
    expect(components[1]).toMatchObject({
      id: 'api',
      name: 'Public API',
      description: null,
      tier: 'gold',
      status: 'partial_outage',
      uptime: { '24h': { percent: 98.2, target_percent: 99.95, sla_status: 'breached' } },
    });
    expect(components[1]?.['checks']).toContainEqual({
      id: 'api_root',
      name: 'API root',
      status: 'down',
      state: 'down',
      in_maintenance: false,
      reason: 'timeout',
      message: 'no answer within 5 s',
      checked_at: '2026-11-20T11:59:50.000Z',
    });
    expect((components[0]?.['daily'] as unknown[]).at(-4)).toEqual({
      day: '2026-11-17',
      uptime_percent: 97.5,
      down_minutes: 36,
      degraded_minutes: 0,
      maintenance_minutes: 0,
      level: 'major',
      label: '2026-11-17: 97.50 % up, 36 min down',
    });
    expect(json['incidents']).toMatchObject({
      current: [
        {
          id: 'inc-api',
          check: 'api_root',
          opened_at: '2026-11-20T11:34:00.000Z',
          closed_at: null,
          duration_seconds: 1560,
        },
      ],
      recent: [{ id: 'inc-login', check_name: 'Login', first_reason: 'status_code', failures: 24 }],
    });
  });
});
