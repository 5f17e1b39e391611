// Evidence for an alert from the store the prober writes: each check's results over the lookback, when it was last
// healthy, its incidents of the past days, the other checks down now and what they share with it, certificate
// expiry and maintenance windows now or within the hour. Every read is bounded (a limit, an index range), so one
// alert costs the same few queries at a thousand checks with a month of history.

import type { CheckDefinition } from '../../model/check.js';
import type {
  CheckEvidence,
  CoFailingCheck,
  DiagnosisEvidence,
  HealthySharingCheck,
  EvidenceSourceNote,
  ResultEvidence,
} from '../../model/diagnosis.js';
import type { MaintenanceWindow } from '../../model/maintenance.js';
import { appliesTo, occurrences } from '../../maintenance/windows.js';
import type { Incident, Store, StoredResult } from '../../store/store.js';
import { checkTarget } from './check-target.js';
import { INFRASTRUCTURE, checksByInfrastructure, sharedTraits, traitKind, traitsOf } from './shared-traits.js';
import { alertPart, checkIdOf, type DiagnosisSubject } from './subject.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Results read per check at most: a lookback of hours at a short interval still reads a bounded page. */
export const MAX_RESULTS_PER_CHECK = 240;
/** Incidents read per check at most (newest first). */
const MAX_INCIDENTS_PER_CHECK = 50;
/** Open incidents of all checks read at most, to find the checks failing together. */
const MAX_OPEN_INCIDENTS = 500;
/** Checks of a group alert diagnosed at most, and co-failing checks listed at most per check. */
const MAX_SUBJECT_CHECKS = 10;
const MAX_CO_FAILING = 50;
/** Healthy checks sharing infrastructure listed at most per check. */
const MAX_HEALTHY_SHARING = 20;
const MAINTENANCE_HORIZON_MS = 60 * MINUTE;

export type EvidenceStore = Pick<Store, 'listResults' | 'listIncidents' | 'firstResultAt'>;

export interface StoreEvidenceOptions {
  store: EvidenceStore;
  /** The loaded check definitions. */
  checks: readonly CheckDefinition[];
  maintenance: readonly MaintenanceWindow[];
  now: number;
  /** How far back results are read; default 60 minutes. */
  lookbackMs?: number;
  /** How far back incidents are read; default 7 days. */
  incidentLookbackMs?: number;
}

export async function gatherEvidence(
  subject: DiagnosisSubject,
  options: StoreEvidenceOptions,
): Promise<DiagnosisEvidence> {
  const { store, now } = options;
  const lookbackMs = options.lookbackMs ?? 60 * MINUTE;
  const incidentLookbackMs = options.incidentLookbackMs ?? 7 * DAY;
  const definitions = new Map(options.checks.map((check) => [check.id, check]));
  const openIncidents = await store.listIncidents({ openOnly: true, limit: MAX_OPEN_INCIDENTS });
  const subjectIds = subjectChecks(subject, definitions, openIncidents);
  const context: CheckContext = { ...options, lookbackMs, incidentLookbackMs, definitions, openIncidents };
  const checks = await Promise.all(subjectIds.map((checkId) => checkEvidence(checkId, context)));
  return {
    alert: alertPart(subject),
    checks,
    sources: sourceNotes(subjectIds, definitions, lookbackMs, incidentLookbackMs),
    at: now,
  };
}

interface CheckContext extends Required<StoreEvidenceOptions> {
  definitions: ReadonlyMap<string, CheckDefinition>;
  openIncidents: readonly Incident[];
}

/** The check the alert names; for a group alert, its checks that are down now (open incidents), a few at most. */
function subjectChecks(
  subject: DiagnosisSubject,
  definitions: ReadonlyMap<string, CheckDefinition>,
  openIncidents: readonly Incident[],
): string[] {
  const named = checkIdOf(subject);
  if (named !== undefined) return [named];
  const { group, component, service } = subject.labels;
  if (group === undefined && component === undefined && service === undefined) return [];
  const inScope = (check: CheckDefinition | undefined): boolean =>
    check !== undefined &&
    (group === undefined || check.group === group) &&
    (component === undefined || check.component === component) &&
    (service === undefined || check.service === service);
  const failing = openIncidents.map((incident) => incident.checkId).filter((id) => inScope(definitions.get(id)));
  return [...new Set(failing)].sort().slice(0, MAX_SUBJECT_CHECKS);
}

async function checkEvidence(checkId: string, context: CheckContext): Promise<CheckEvidence> {
  const { store, now, definitions } = context;
  const [results, incidents, firstResultAt] = await Promise.all([
    store.listResults(checkId, { since: now - context.lookbackMs, until: now + 1, limit: MAX_RESULTS_PER_CHECK }),
    store.listIncidents({ checkId, since: now - context.incidentLookbackMs, limit: MAX_INCIDENTS_PER_CHECK }),
    store.firstResultAt([checkId]),
  ]);
  const definition = definitions.get(checkId);
  const recent = results.map(resultEvidence);
  const lastHealthyAt = await lastHealthy(checkId, results, incidents, store);
  const certExpiresAt = expiryMs(results.findLast((result) => result.certExpiresAt !== undefined)?.certExpiresAt);
  const historyStart = now - context.incidentLookbackMs;
  const target = definition === undefined ? undefined : checkTarget(definition);
  // What one fault could break for this check and others: what the checks failing or passing beside it share.
  const traits = definition === undefined || target === undefined ? [] : traitsOf({ check: definition, target });
  return {
    checkId,
    ...(definition === undefined
      ? {}
      : {
          name: definition.name,
          component: definition.component,
          service: definition.service,
          group: definition.group,
        }),
    ...(target === undefined ? {} : { target }),
    recent,
    ...(lastHealthyAt === undefined ? {} : { lastHealthyAt }),
    incidents: incidents.map((incident) => ({
      openedAt: incident.openedAt,
      ...(incident.closedAt === undefined ? {} : { closedAt: incident.closedAt }),
      reason: incident.firstReason,
      message: incident.lastMessage,
    })),
    ...(firstResultAt === undefined ? {} : { historySince: Math.max(firstResultAt, historyStart) }),
    coFailing: definition === undefined ? [] : coFailing(checkId, traits, context),
    ...(definition === undefined ? {} : { healthySharing: healthySharing(checkId, traits, context) }),
    ...(certExpiresAt === undefined ? {} : { certExpiresAt }),
    maintenance: definition === undefined ? [] : maintenanceNear(definition, context),
  };
}

function resultEvidence(result: StoredResult): ResultEvidence {
  return {
    at: result.startedAt,
    status: result.status,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    message: result.message,
    durationMs: result.durationMs,
    ...(result.httpStatus === undefined ? {} : { httpStatus: result.httpStatus }),
    phases: result.phases,
    ...(result.certExpiresAt === undefined ? {} : { certExpiresAt: expiryMs(result.certExpiresAt) }),
  };
}

/** A stored certificate expiry is Unix seconds, as the probes and `uptime_check_tls_cert_expiry_timestamp_seconds`
 * give it; evidence times are Unix milliseconds like every other time the rules compare. */
function expiryMs(seconds: number): number;
function expiryMs(seconds: number | undefined): number | undefined;
function expiryMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

const passed = (result: Pick<StoredResult, 'status'>): boolean =>
  result.status === 'healthy' || result.status === 'degraded';

/**
 * The last passing result in the lookback; when every result there failed, the one just before the open incident
 * opened (one index seek), so a failure older than the lookback still says since when.
 */
async function lastHealthy(
  checkId: string,
  results: readonly StoredResult[],
  incidents: readonly Incident[],
  store: EvidenceStore,
): Promise<number | undefined> {
  const inLookback = results.findLast(passed);
  if (inLookback !== undefined) return inLookback.startedAt;
  const open = incidents.find((incident) => incident.closedAt === undefined);
  if (open === undefined) return undefined;
  const [before] = await store.listResults(checkId, { until: open.openedAt, limit: 1 });
  return before !== undefined && passed(before) ? before.startedAt : undefined;
}

/** The other configured checks with an open incident, with the traits they share with this one, most shared first. */
function coFailing(checkId: string, own: readonly string[], context: CheckContext): CoFailingCheck[] {
  const found = new Map<string, CoFailingCheck>();
  for (const incident of context.openIncidents) {
    const other = context.definitions.get(incident.checkId);
    if (other === undefined || other.id === checkId || found.has(other.id)) continue;
    const shared = sharedTraits(own, traitsOf({ check: other, target: checkTarget(other) }));
    found.set(other.id, { checkId: other.id, name: other.name, reason: incident.firstReason, shared });
  }
  return [...found.values()]
    .sort((a, b) => b.shared.length - a.shared.length || (a.checkId < b.checkId ? -1 : 1))
    .slice(0, MAX_CO_FAILING);
}

/** The other configured checks sharing its infrastructure that have no open incident, most shared first. */
function healthySharing(checkId: string, own: readonly string[], context: CheckContext): HealthySharingCheck[] {
  const failing = new Set(context.openIncidents.map((incident) => incident.checkId));
  const index = checksByInfrastructure(context.checks);
  const found = new Map<string, HealthySharingCheck>();
  for (const trait of own) {
    if (!INFRASTRUCTURE.has(traitKind(trait))) continue;
    for (const other of index.get(trait) ?? []) {
      if (other.id === checkId || failing.has(other.id)) continue;
      const entry = found.get(other.id) ?? { checkId: other.id, name: other.name, shared: [] };
      entry.shared.push(trait);
      found.set(other.id, entry);
    }
  }
  return [...found.values()]
    .sort((a, b) => b.shared.length - a.shared.length || (a.checkId < b.checkId ? -1 : 1))
    .slice(0, MAX_HEALTHY_SHARING);
}

function maintenanceNear(definition: CheckDefinition, context: CheckContext): CheckEvidence['maintenance'] {
  const { now } = context;
  return context.maintenance
    .filter((window) => appliesTo(window, definition))
    .flatMap((window) =>
      occurrences(window, now, now + MAINTENANCE_HORIZON_MS).map((interval) => ({ id: window.id, ...interval })),
    )
    .sort((a, b) => a.start - b.start);
}

function sourceNotes(
  checkIds: readonly string[],
  definitions: ReadonlyMap<string, CheckDefinition>,
  lookbackMs: number,
  incidentLookbackMs: number,
): EvidenceSourceNote[] {
  const covered =
    `results of the last ${Math.round(lookbackMs / MINUTE)} min, incidents of the last ` +
    `${Math.round(incidentLookbackMs / DAY)} days, the checks down now`;
  const notes: EvidenceSourceNote[] = [{ source: 'store', available: true, note: covered }];
  const unknown = checkIds.filter((id) => !definitions.has(id));
  if (unknown.length > 0) {
    notes.push({
      source: 'store',
      available: true,
      note: `not in the loaded checks (no target known): ${unknown.join(', ')}`,
    });
  }
  if (checkIds.length === 0) {
    notes.push({
      source: 'labels',
      available: true,
      note: 'the alert names no check, and no check of its group, component or service is down',
    });
  }
  return notes;
}
