// The SLA windows Vigil reports over, in one list: the name (the `window` label of `uptime_sla_percent`, the `period`
// of /api/v1/sla and of status-page.yml), the length, how the status page words it, and whether the page shows it
// when status-page.yml does not say. The config schema takes its names from here too.

const DAY_MS = 86_400_000;

export interface SlaWindowDefinition {
  name: string;
  durationMs: number;
  /** The status page's words for it: "Uptime over the last 30 days". */
  text: string;
  /** Shown on the status page when status-page.yml lists no `periods`. */
  onStatusPageByDefault: boolean;
}

export const SLA_WINDOWS = [
  { name: '24h', durationMs: DAY_MS, text: '24 hours', onStatusPageByDefault: true },
  { name: '7d', durationMs: 7 * DAY_MS, text: '7 days', onStatusPageByDefault: true },
  { name: '30d', durationMs: 30 * DAY_MS, text: '30 days', onStatusPageByDefault: true },
  { name: '90d', durationMs: 90 * DAY_MS, text: '90 days', onStatusPageByDefault: true },
  { name: '365d', durationMs: 365 * DAY_MS, text: '1 year', onStatusPageByDefault: false },
] as const satisfies readonly SlaWindowDefinition[];

export type SlaWindow = (typeof SLA_WINDOWS)[number]['name'];

/** The names in order, shortest window first. */
export const SLA_WINDOW_NAMES = SLA_WINDOWS.map((window) => window.name) as readonly SlaWindow[];

export const DEFAULT_STATUS_PAGE_WINDOWS: readonly SlaWindow[] = SLA_WINDOWS.filter(
  (window) => window.onStatusPageByDefault,
).map((window) => window.name);
