// Planned downtime as configured: one-off (start, end) or recurring (a 5-field cron expression, a duration and an
// IANA time zone), scoped to checks, groups or components. maintenance/ expands these into intervals; the SLA math
// excludes them.

import type { CheckBase } from './check.js';

/** Which checks a window covers: a check is covered when any list names it, its group or its component. */
export interface MaintenanceScope {
  checks?: string[];
  groups?: string[];
  components?: string[];
}

export interface OneOffWindow {
  kind: 'one-off';
  id: string;
  /** ISO 8601 with a UTC offset or Z, e.g. `2026-03-01T22:00:00+01:00`. */
  start: string;
  /** Exclusive; after `start`. */
  end: string;
  /** Empty: every check. */
  scope: MaintenanceScope;
  description?: string;
}

export interface RecurringWindow {
  kind: 'recurring';
  id: string;
  /** Minute hour day-of-month month day-of-week, read in `timezone`, e.g. `0 3 * * 0` (Sundays 03:00). */
  cron: string;
  durationMs: number;
  /** IANA name, e.g. `Europe/Berlin`. */
  timezone: string;
  scope: MaintenanceScope;
  description?: string;
}

export type MaintenanceWindow = OneOffWindow | RecurringWindow;

/** What a window's scope is matched against. */
export type ScopedCheck = Pick<CheckBase, 'id' | 'group' | 'component'>;
