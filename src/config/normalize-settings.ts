// config.yml: the rules its schema cannot express (SLA levels in order, a PostgreSQL URL when storing there, the
// notification routes) and the normalised settings with every default applied.

import { parseListenAddress } from './address.js';
import { isMapping } from './check-entries.js';
import { aiRules, normalizeAi } from './normalize-ai.js';
import { normalizeMaintenance, normalizeRetention } from './normalize-maintenance.js';
import { normalizeNotifications, notificationRules } from './normalize-notifications.js';
import { normalizeAlertmanager, normalizeReceiver, receiverRules } from './normalize-receiver.js';
import type { RawConfigFile } from './schema/config.js';
import type { ConfigProblem, GlobalSettings, ListenAddress, SlaSettings } from './types.js';
import type { ConfigDocument } from './yaml-document.js';

type Env = Record<string, string | undefined>;

const DEFAULT_SLA = { target: 99.9, warning: 99.5, critical: 99.0 };

/** Unset levels follow the ones set: `target: 99` alone gives warning 99 and critical 99, not an error. */
function slaLevels(raw: {
  target?: number;
  warning?: number;
  critical?: number;
}): Omit<SlaSettings, 'countDegradedAsUp'> {
  const targetPercent = raw.target ?? DEFAULT_SLA.target;
  const warningPercent = raw.warning ?? Math.min(DEFAULT_SLA.warning, targetPercent);
  const criticalPercent = raw.critical ?? Math.min(DEFAULT_SLA.critical, warningPercent);
  return { targetPercent, warningPercent, criticalPercent };
}

export function settingsRules(document: ConfigDocument, env: Env): ConfigProblem[] {
  const root = isMapping(document.value) ? document.value : {};
  return [
    ...slaOrder(document, root['sla']),
    ...postgresUrl(document, root['storage'], env),
    ...receiverRules(document, env),
    ...aiRules(document),
    ...notificationRules(document),
  ];
}

function slaOrder(document: ConfigDocument, sla: unknown): ConfigProblem[] {
  if (!isMapping(sla)) return [];
  const number = (key: string): number | undefined => (typeof sla[key] === 'number' ? sla[key] : undefined);
  const levels = slaLevels({ target: number('target'), warning: number('warning'), critical: number('critical') });
  const { targetPercent: target, warningPercent: warning, criticalPercent: critical } = levels;
  const problems: ConfigProblem[] = [];
  if (warning > target)
    problems.push(document.problem('/sla/warning', `must be at most the target (${target}), got ${warning}`));
  if (critical > warning)
    problems.push(document.problem('/sla/critical', `must be at most warning (${warning}), got ${critical}`));
  return problems;
}

function postgresUrl(document: ConfigDocument, storage: unknown, env: Env): ConfigProblem[] {
  if (!isMapping(storage) || storage['backend'] !== 'postgres') return [];
  if (storage['postgres_url'] !== undefined || env['DATABASE_URL'] !== undefined) return [];
  const message = 'is postgres, but neither `postgres_url` nor the DATABASE_URL environment variable is set';
  return [document.problem('/storage/backend', message)];
}

export function normalizeSettings(raw: RawConfigFile, env: Env): GlobalSettings {
  const storage = raw.storage ?? {};
  const postgresUrl = storage.postgres_url ?? env['DATABASE_URL'];
  const ai = normalizeAi(raw.ai, env);
  return {
    dataDir: raw.data_dir ?? 'data',
    server: {
      proberListen: listen(raw.server?.prober_listen ?? '0.0.0.0:9470'),
      receiverListen: listen(raw.server?.receiver_listen ?? '0.0.0.0:9471'),
    },
    prober: { maxConcurrency: raw.prober?.max_concurrency ?? 256 },
    sla: { ...slaLevels(raw.sla ?? {}), countDegradedAsUp: raw.sla?.count_degraded_as_up ?? true },
    storage: {
      backend: storage.backend ?? 'sqlite',
      sqlitePath: storage.sqlite_path ?? 'vigil.db',
      ...(postgresUrl === undefined ? {} : { postgresUrl }),
    },
    retention: normalizeRetention(raw.retention),
    maintenance: normalizeMaintenance(raw.maintenance),
    receiver: normalizeReceiver(raw.receiver, env),
    alertmanager: normalizeAlertmanager(raw.alertmanager, env),
    notifications: normalizeNotifications(raw.notifications),
    ...(ai === undefined ? {} : { ai }),
  };
}

function listen(text: string): ListenAddress {
  const address = parseListenAddress(text);
  if (!address) throw new Error(`listen address ${text} passed validation without being host:port`);
  return address;
}
