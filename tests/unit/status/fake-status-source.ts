// An in-memory StatusSource (the status page's input interface, not our code) and a demo scenario: two public
// components, one private infrastructure component, incidents, maintenance and 90 days of bars. Shared by the unit,
// HTTP and browser tests of the status page.

import type { StatusPageSettings } from '../../../src/config/types.js';
import type { SlaWindow } from '../../../src/model/sla-window.js';
import type {
  ComponentUptime,
  CurrentCheckState,
  DailyUptime,
  IncidentQuery,
  MaintenanceOccurrence,
  StatusIncident,
  StatusResult,
  StatusSource,
} from '../../../src/status/status-source.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export interface FakeData {
  now: number;
  settings: StatusPageSettings;
  checks: Array<{ id: string; name: string } & Partial<CurrentCheckState>>;
  uptime?: Record<string, Partial<Record<SlaWindow, ComponentUptime>>>;
  /** Days reported for exactly this list of checks, keyed by the ids joined with commas. */
  daily?: Record<string, DailyUptime[]>;
  incidents?: StatusIncident[];
  maintenance?: MaintenanceOccurrence[];
  /** When history starts; 90 days before `now` when absent. */
  firstResultAt?: number;
  /** Stored results by check id, oldest first. */
  results?: Record<string, StatusResult[]>;
}

/** Returns every incident it has, whatever the query asks: the view must filter on its own. */
export class FakeStatusSource implements StatusSource {
  readonly incidentQueries: IncidentQuery[] = [];

  constructor(readonly data: FakeData) {}

  settings(): StatusPageSettings {
    return this.data.settings;
  }

  checks(): readonly { id: string; name: string }[] {
    return this.data.checks.map(({ id, name }) => ({ id, name }));
  }

  current(checkId: string): CurrentCheckState {
    const check = this.data.checks.find((c) => c.id === checkId);
    return {
      status: check?.status ?? 'unknown',
      ...(check?.reason === undefined ? {} : { reason: check.reason }),
      message: check?.message ?? '',
      ...(check?.at === undefined ? {} : { at: check.at }),
      inMaintenance: check?.inMaintenance ?? false,
    };
  }

  /** Like the SLA engine, a report for every component: `no_data` where the scenario has none. */
  componentUptime(window: SlaWindow): Promise<ReadonlyMap<string, ComponentUptime>> {
    return Promise.resolve(
      new Map(
        this.data.settings.components.map((component) => [
          component.id,
          this.data.uptime?.[component.id]?.[window] ?? { targetPercent: 99.9, status: 'no_data' as const },
        ]),
      ),
    );
  }

  dailyUptime(checkIds: readonly string[], days: number): Promise<DailyUptime[]> {
    return Promise.resolve((this.data.daily?.[checkIds.join(',')] ?? []).slice(-days));
  }

  incidents(query: IncidentQuery): Promise<StatusIncident[]> {
    this.incidentQueries.push(query);
    return Promise.resolve(this.data.incidents ?? []);
  }

  firstResultAt(): Promise<number | undefined> {
    return Promise.resolve(this.data.firstResultAt ?? this.data.now - 90 * DAY);
  }

  results(checkId: string, since: number, limit: number): Promise<StatusResult[]> {
    return Promise.resolve((this.data.results?.[checkId] ?? []).filter((r) => r.startedAt >= since).slice(-limit));
  }

  maintenance(from: number, to: number): MaintenanceOccurrence[] {
    return (this.data.maintenance ?? []).filter((m) => m.start < to && m.end > from);
  }

  now(): number {
    return this.data.now;
  }
}

export const NOW = Date.parse('2026-11-20T12:00:00Z');

export const SECRET_MESSAGE = 'password authentication failed for user "vigil" on db-primary.internal';

/** Ninety days of a check set that was fine except for a bad day 3 days ago and a short blip yesterday. */
function ninetyDays(now: number): DailyUptime[] {
  return Array.from({ length: 90 }, (_, index) => {
    const day = new Date(now - (89 - index) * DAY).toISOString().slice(0, 10);
    if (index === 86) return { day, uptimePercent: 97.5, downMinutes: 36, degradedMinutes: 0, maintenanceMinutes: 0 };
    if (index === 88) return { day, uptimePercent: 99.86, downMinutes: 2, degradedMinutes: 0, maintenanceMinutes: 0 };
    if (index === 80) return { day, uptimePercent: 100, downMinutes: 0, degradedMinutes: 0, maintenanceMinutes: 60 };
    return { day, uptimePercent: 100, downMinutes: 0, degradedMinutes: 0, maintenanceMinutes: 0 };
  });
}

export function demoData(now = NOW): FakeData {
  return {
    now,
    settings: {
      title: 'Acme status',
      description: 'Live status of Acme services',
      periods: ['24h', '7d', '30d', '90d'],
      tiers: { gold: 99.95 },
      components: [
        {
          id: 'website',
          name: 'Website',
          description: 'www.acme.test',
          checks: ['web_home', 'web_login'],
          public: true,
        },
        { id: 'api', name: 'Public API', checks: ['api_root', 'api_search'], public: true, tier: 'gold' },
        { id: 'infrastructure', name: 'Infrastructure', checks: ['db_primary', 'redis_cache'], public: false },
      ],
    },
    checks: [
      { id: 'web_home', name: 'Home page', status: 'healthy', message: 'HTTP 200 in 48 ms', at: now - 20_000 },
      { id: 'web_login', name: 'Login', status: 'healthy', message: 'HTTP 200 in 95 ms', at: now - 15_000 },
      {
        id: 'api_root',
        name: 'API root',
        status: 'down',
        reason: 'timeout',
        message: 'no answer within 5 s',
        at: now - 10_000,
      },
      { id: 'api_search', name: 'Search API', status: 'healthy', message: 'HTTP 200 in 120 ms', at: now - 12_000 },
      {
        id: 'db_primary',
        name: 'Primary database',
        status: 'down',
        reason: 'error',
        message: SECRET_MESSAGE,
        at: now - 5_000,
      },
      {
        id: 'redis_cache',
        name: 'Redis cache',
        status: 'healthy',
        message: 'PONG',
        at: now - 8_000,
        inMaintenance: true,
      },
    ],
    uptime: {
      website: {
        '24h': { uptimePercent: 100, targetPercent: 99.9, status: 'compliant' },
        '7d': { uptimePercent: 99.9643, targetPercent: 99.9, status: 'compliant' },
        '30d': { uptimePercent: 99.9917, targetPercent: 99.9, status: 'compliant' },
        '90d': { uptimePercent: 99.9721, targetPercent: 99.9, status: 'compliant' },
      },
      api: {
        '24h': { uptimePercent: 98.2, targetPercent: 99.95, status: 'breached' },
        '7d': { uptimePercent: 99.74, targetPercent: 99.95, status: 'warning' },
        '30d': { uptimePercent: 99.93, targetPercent: 99.95, status: 'warning' },
        '90d': { uptimePercent: 99.977, targetPercent: 99.95, status: 'compliant' },
      },
      infrastructure: {
        '24h': { uptimePercent: 91.25, targetPercent: 99.9, status: 'breached' },
      },
    },
    daily: { 'web_home,web_login': ninetyDays(now), 'api_root,api_search': ninetyDays(now) },
    incidents: [
      {
        id: 'inc-api',
        checkId: 'api_root',
        openedAt: now - 26 * MIN,
        firstReason: 'timeout',
        firstMessage: 'no answer within 5 s',
        lastMessage: 'no answer within 5 s (upstream api-7 not responding)',
        failures: 52,
      },
      {
        id: 'inc-login',
        checkId: 'web_login',
        openedAt: now - 2 * DAY - 40 * MIN,
        closedAt: now - 2 * DAY - 28 * MIN,
        firstReason: 'status_code',
        firstMessage: 'expected status 200, got 503',
        lastMessage: 'expected status 200, got 503',
        failures: 24,
      },
      {
        id: 'inc-old',
        checkId: 'web_home',
        openedAt: now - 9 * DAY,
        closedAt: now - 8 * DAY,
        firstReason: 'dns',
        firstMessage: 'NXDOMAIN',
        lastMessage: 'NXDOMAIN',
        failures: 3,
      },
      {
        id: 'inc-db',
        checkId: 'db_primary',
        openedAt: now - 3 * MIN,
        firstReason: 'error',
        firstMessage: SECRET_MESSAGE,
        lastMessage: SECRET_MESSAGE,
        failures: 6,
      },
    ],
    maintenance: [
      {
        id: 'redis-upgrade',
        description: 'Redis upgrade',
        start: now - 30 * MIN,
        end: now + 30 * MIN,
        checkIds: ['redis_cache'],
      },
      {
        id: 'web-deploy',
        description: 'Website deployment',
        start: now + DAY,
        end: now + DAY + HOUR,
        checkIds: ['web_home', 'web_login'],
      },
    ],
  };
}
