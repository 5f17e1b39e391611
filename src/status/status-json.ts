// `GET /api/v1/status`: the status view as JSON, in the API's conventions (snake_case keys, ISO 8601 UTC times,
// absent values as null so every key is always there). Spelled out field by field: this is a public contract.

import { OVERALL_STATUS_TEXT } from './derive-status.js';
import type { DayBar } from './daily-bars.js';
import type { CheckView, ComponentView, IncidentView, MaintenanceView, StatusView } from './status-view.js';

type Json = Record<string, unknown>;

export function statusJson(view: StatusView): Json {
  return {
    title: view.title,
    description: view.description ?? null,
    generated_at: iso(view.generatedAt),
    includes_private: view.includesPrivate,
    status: view.status,
    status_text: OVERALL_STATUS_TEXT[view.status],
    components: view.components.map(componentJson),
    incidents: { current: view.incidents.current.map(incidentJson), recent: view.incidents.recent.map(incidentJson) },
    maintenance: view.maintenance.map(maintenanceJson),
  };
}

function componentJson(component: ComponentView): Json {
  return {
    id: component.id,
    name: component.name,
    description: component.description ?? null,
    public: component.public,
    tier: component.tier ?? null,
    status: component.status,
    checks: component.checks.map(checkJson),
    uptime: Object.fromEntries(
      component.uptime.map((u) => [
        u.period,
        {
          percent: u.uptimePercent ?? null,
          target_percent: u.targetPercent,
          sla_status: u.status,
          since: u.since === undefined ? null : iso(u.since),
          judged: u.judged,
        },
      ]),
    ),
    daily: component.days.map(dayJson),
    data_since: component.dataSince === undefined ? null : iso(component.dataSince),
  };
}

function checkJson(check: CheckView): Json {
  return {
    id: check.id,
    name: check.name,
    status: check.status,
    state: check.state,
    in_maintenance: check.inMaintenance,
    reason: check.reason ?? null,
    message: check.message,
    checked_at: check.checkedAt === undefined ? null : iso(check.checkedAt),
  };
}

function dayJson(day: DayBar): Json {
  return {
    day: day.day,
    uptime_percent: day.uptimePercent ?? null,
    down_minutes: round(day.downMinutes, 2),
    degraded_minutes: round(day.degradedMinutes, 2),
    maintenance_minutes: round(day.maintenanceMinutes, 2),
    level: day.level,
    label: day.label,
  };
}

function incidentJson(incident: IncidentView): Json {
  return {
    id: incident.id,
    check: incident.checkId,
    check_name: incident.checkName,
    components: incident.components,
    opened_at: iso(incident.openedAt),
    closed_at: incident.closedAt === undefined ? null : iso(incident.closedAt),
    duration_seconds: Math.round(incident.durationMs / 1000),
    first_reason: incident.firstReason,
    first_message: incident.firstMessage,
    last_message: incident.lastMessage,
    failures: incident.failures,
  };
}

function maintenanceJson(window: MaintenanceView): Json {
  return {
    id: window.id,
    description: window.description ?? null,
    start: iso(window.start),
    end: iso(window.end),
    ongoing: window.ongoing,
    checks: window.checkIds,
    components: window.components,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Minutes are sums of milliseconds: two decimals drop the float noise. */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
