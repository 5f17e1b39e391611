// The status page's StatusSource built from the running prober: live config, latest results, the SLA service,
// stored incidents and the maintenance calendar. The uptime figures come through StatusFigures: a snapshot a few
// seconds old at most, shared by every request. Its revision moves on with every incident and reload, and with every
// new snapshot, which also bounds how late a time-driven change (a check's latest result going stale, a maintenance
// window starting) reaches a reused page; results are counted apart (resultBatches).

import type { VigilConfig } from '../config/types.js';
import type { MaintenanceCalendar } from '../maintenance/calendar.js';
import { appliesTo, occurrences } from '../maintenance/windows.js';
import type { CheckStatus } from '../model/result.js';
import type { SlaService } from '../sla/sla-service.js';
import type { Store, StoredResult } from '../store/store.js';
import { StatusFigures } from './status-figures.js';
import type { MaintenanceOccurrence, StatusSource } from './status-source.js';

export interface StoreStatusSourceDeps {
  config: () => VigilConfig;
  latest: (checkId: string) => StoredResult | undefined;
  status: (checkId: string) => CheckStatus;
  sla: SlaService;
  store: Store;
  calendar: MaintenanceCalendar;
  /** Changes with every reload and every incident saved. */
  changes: () => number;
  /** Changes with every batch of results handled. */
  resultBatches: () => number;
  now?: () => number;
}

export function storeStatusSource(deps: StoreStatusSourceDeps): StatusSource {
  const now = deps.now ?? Date.now;
  const figures = new StatusFigures(deps.sla, { basis: deps.config, now });
  return {
    settings: () => deps.config().statusPage,
    checks: () => deps.config().checks,
    current(checkId) {
      const latest = deps.latest(checkId);
      return {
        status: deps.status(checkId),
        ...(latest?.reason ? { reason: latest.reason } : {}),
        message: latest?.message ?? '',
        ...(latest ? { at: latest.finishedAt } : {}),
        inMaintenance: deps.calendar.inMaintenance(checkId, now()),
      };
    },
    componentUptime: (window) => figures.componentUptime(window),
    dailyUptime: (checkIds, days) => figures.dailyUptime(checkIds, days),
    incidents: ({ since, checkIds, limit }) => deps.store.listIncidents({ since, checkIds, limit }),
    firstResultAt: (checkIds) => deps.store.firstResultAt(checkIds),
    results: (checkId, since, limit) => deps.store.listResults(checkId, { since, limit }),
    maintenance(from, to) {
      const checks = deps.config().checks;
      const found: MaintenanceOccurrence[] = [];
      for (const window of deps.calendar.configured()) {
        const checkIds = checks.filter((check) => appliesTo(window, check)).map((check) => check.id);
        if (checkIds.length === 0) continue;
        for (const occurrence of occurrences(window, from, to)) {
          found.push({
            id: window.id,
            ...(window.description ? { description: window.description } : {}),
            start: occurrence.start,
            end: occurrence.end,
            checkIds,
          });
        }
      }
      return found;
    },
    now,
    revision: () => `${deps.changes()}:${figures.computedAt()}`,
    resultBatches: deps.resultBatches,
  };
}
