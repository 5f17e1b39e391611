// The status page's data: one pure pass over a StatusSource that the HTML page and `GET /api/v1/status` both show.
//
// Visibility is decided here, once: without `includePrivate` the private components are left out, and with them
// every check that no public component lists, the incidents of those checks and the maintenance that only covers
// them. Nothing the viewer may not see reaches the view, so no renderer can leak it: that includes the probes' own
// messages, which only a private view (or status-page.yml's `raw_messages: true`) shows; others get neutral words.

import type { StatusPageComponent } from '../config/types.js';
import type { CheckStatus, FailureReason } from '../model/result.js';
import { isSlaWindow, slaWindow } from '../sla/windows.js';
import type { SlaWindow } from '../model/sla-window.js';
import { DAY_MS } from '../sla/rollup.js';
import { dayBars, dayKeys, type DayBar } from './daily-bars.js';
import {
  checkState,
  componentStatus,
  overallStatus,
  type CheckState,
  type ComponentStatus,
  type OverallStatus,
} from './derive-status.js';
import { neutralReason, shownMessage } from './public-message.js';
import type { ComponentUptime, StatusIncident, StatusSource } from './status-source.js';

export const BAR_DAYS = 90;
/** Closed incidents shown, and how far ahead maintenance is announced. */
export const RECENT_DAYS = 7;
export const UPCOMING_DAYS = 7;
/** Incidents read at most; the page is a summary, `GET /api/v1/incidents` has the history. */
export const INCIDENT_LIMIT = 100;

export interface StatusViewOptions {
  includePrivate: boolean;
}

export interface CheckView {
  id: string;
  name: string;
  status: CheckStatus;
  state: CheckState;
  reason?: FailureReason;
  message: string;
  checkedAt?: number;
  inMaintenance: boolean;
}

/**
 * A window's figure is judged (coloured by its SLA status) only once the history covers this share of it: after ten
 * minutes of data, "59.50 %" over 90 days in red says more about the install than about the service.
 */
export const JUDGED_SHARE = 0.1;

export type PeriodUptime = ComponentUptime & {
  period: SlaWindow;
  /** When the history starts, if inside the window: the figure rests on the time since. */
  since?: number;
  /** The history covers at least JUDGED_SHARE of the window. */
  judged: boolean;
};

interface UptimeOfPeriod {
  period: SlaWindow;
  byComponent: ReadonlyMap<string, ComponentUptime>;
}

export interface ComponentView {
  id: string;
  name: string;
  description?: string;
  public: boolean;
  tier?: string;
  status: ComponentStatus;
  checks: CheckView[];
  uptime: PeriodUptime[];
  /** BAR_DAYS bars, oldest first. */
  days: DayBar[];
  /** When the earliest stored result of its checks started; absent before the first one. */
  dataSince?: number;
}

export interface IncidentView extends StatusIncident {
  checkName: string;
  /** Names of the visible components that list the check. */
  components: string[];
  /** Until it closed, or until now while open. */
  durationMs: number;
}

export interface MaintenanceView {
  id: string;
  description?: string;
  start: number;
  end: number;
  ongoing: boolean;
  /** Only the visible checks it covers. */
  checkIds: string[];
  components: string[];
}

export interface StatusView {
  title: string;
  description?: string;
  generatedAt: number;
  includesPrivate: boolean;
  status: OverallStatus;
  components: ComponentView[];
  incidents: {
    /** Open, the newest first. */
    current: IncidentView[];
    /** Closed within RECENT_DAYS, the most recently closed first. */
    recent: IncidentView[];
  };
  /** Ongoing and starting within UPCOMING_DAYS, by start. */
  maintenance: MaintenanceView[];
}

export async function buildStatusView(source: StatusSource, options: StatusViewOptions): Promise<StatusView> {
  const settings = source.settings();
  const now = source.now();
  const visible = settings.components.filter((component) => options.includePrivate || component.public);
  const visibleChecks = new Set(visible.flatMap((component) => component.checks));
  const names = new Map(source.checks().map((check) => [check.id, check.name]));
  const periods = settings.periods.filter(isSlaWindow);
  const days = dayKeys(now, BAR_DAYS);
  const raw = options.includePrivate || settings.rawMessages === true;

  const uptime = await Promise.all(
    periods.map(async (period) => ({ period, byComponent: await source.componentUptime(period) })),
  );
  const [components, incidents] = await Promise.all([
    Promise.all(visible.map((component) => componentView(source, component, { names, uptime, days, raw, now }))),
    source.incidents({ since: now - RECENT_DAYS * DAY_MS, checkIds: [...visibleChecks], limit: INCIDENT_LIMIT }),
  ]);
  const shown = incidents
    .filter((incident) => visibleChecks.has(incident.checkId))
    .map((incident) => incidentView(raw ? incident : neutralIncident(incident), names, visible, now));

  return {
    title: settings.title,
    ...(settings.description === undefined ? {} : { description: settings.description }),
    generatedAt: now,
    includesPrivate: options.includePrivate,
    status: overallStatus(components.map((component) => component.status)),
    components,
    incidents: {
      current: shown.filter((i) => i.closedAt === undefined).sort((a, b) => b.openedAt - a.openedAt),
      recent: shown
        .filter((i) => i.closedAt !== undefined && i.closedAt >= now - RECENT_DAYS * DAY_MS)
        .sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0)),
    },
    maintenance: maintenanceViews(source, now, visibleChecks, visible),
  };
}

interface ComponentContext {
  names: ReadonlyMap<string, string>;
  uptime: readonly UptimeOfPeriod[];
  days: readonly string[];
  /** Probe messages as they are, rather than neutral words. */
  raw: boolean;
  now: number;
}

async function componentView(
  source: StatusSource,
  component: StatusPageComponent,
  { names, uptime: uptimeByPeriod, days, raw, now }: ComponentContext,
): Promise<ComponentView> {
  const checks = component.checks.map((id) => checkView(source, id, names, raw));
  const [daily, dataSince] = await Promise.all([
    source.dailyUptime(component.checks, days.length),
    source.firstResultAt(component.checks),
  ]);
  // A period the source has no report of for this component is left out rather than guessed.
  const uptime = uptimeByPeriod.flatMap(({ period, byComponent }) => {
    const report = byComponent.get(component.id);
    return report ? [{ period, ...report, ...coverage(period, dataSince, now) }] : [];
  });
  return {
    id: component.id,
    name: component.name,
    ...(component.description === undefined ? {} : { description: component.description }),
    public: component.public,
    ...(component.tier === undefined ? {} : { tier: component.tier }),
    status: componentStatus(checks.map((check) => check.state)),
    checks,
    uptime,
    days: dayBars(days, daily),
    ...(dataSince === undefined ? {} : { dataSince }),
  };
}

function coverage(
  period: SlaWindow,
  dataSince: number | undefined,
  now: number,
): Pick<PeriodUptime, 'since' | 'judged'> {
  if (dataSince === undefined) return { judged: false };
  const durationMs = slaWindow(period).durationMs;
  const covered = Math.min(now - dataSince, durationMs);
  return {
    ...(now - dataSince < durationMs ? { since: dataSince } : {}),
    judged: covered >= JUDGED_SHARE * durationMs,
  };
}

export function checkView(
  source: StatusSource,
  id: string,
  names: ReadonlyMap<string, string>,
  raw: boolean,
): CheckView {
  const current = source.current(id);
  return {
    id,
    name: names.get(id) ?? id,
    status: current.status,
    state: checkState(current),
    ...(current.reason === undefined ? {} : { reason: current.reason }),
    message: shownMessage(current, raw),
    ...(current.at === undefined ? {} : { checkedAt: current.at }),
    inMaintenance: current.inMaintenance,
  };
}

export function neutralIncident(incident: StatusIncident): StatusIncident {
  const words = neutralReason(incident.firstReason);
  return { ...incident, firstMessage: words, lastMessage: words };
}

export function incidentView(
  incident: StatusIncident,
  names: ReadonlyMap<string, string>,
  visible: readonly StatusPageComponent[],
  now: number,
): IncidentView {
  return {
    ...incident,
    checkName: names.get(incident.checkId) ?? incident.checkId,
    components: componentNames(visible, [incident.checkId]),
    durationMs: (incident.closedAt ?? now) - incident.openedAt,
  };
}

function maintenanceViews(
  source: StatusSource,
  now: number,
  visibleChecks: ReadonlySet<string>,
  visible: readonly StatusPageComponent[],
): MaintenanceView[] {
  return source
    .maintenance(now, now + UPCOMING_DAYS * DAY_MS)
    .map((occurrence) => ({ ...occurrence, checkIds: occurrence.checkIds.filter((id) => visibleChecks.has(id)) }))
    .filter((occurrence) => occurrence.checkIds.length > 0 && occurrence.end > now)
    .sort((a, b) => a.start - b.start)
    .map((occurrence) => ({
      id: occurrence.id,
      ...(occurrence.description === undefined ? {} : { description: occurrence.description }),
      start: occurrence.start,
      end: occurrence.end,
      ongoing: occurrence.start <= now,
      checkIds: occurrence.checkIds,
      components: componentNames(visible, occurrence.checkIds),
    }));
}

function componentNames(visible: readonly StatusPageComponent[], checkIds: readonly string[]): string[] {
  return visible.filter((component) => component.checks.some((id) => checkIds.includes(id))).map((c) => c.name);
}
