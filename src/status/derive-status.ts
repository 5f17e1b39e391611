// How the status page words a check's, a component's and the whole page's state. Pure rules over plain data.
//
// - A check in a maintenance window shows `maintenance` whatever it reports: failures there are expected.
// - A component is in major outage when every check it has a judgement for (not in maintenance, not unknown) is
//   down, in partial outage when some are; else degraded, under maintenance, operational, in that order of concern.
//   A component with no judged check at all is `unknown`.
// - The page is the worst of its components, except that a major outage of some components is a partial outage of
//   the whole: "major outage" on the banner means nothing works. Components with no data do not lower the banner.

import type { CurrentCheckState } from './status-source.js';

export type CheckState = 'operational' | 'degraded' | 'down' | 'maintenance' | 'unknown';

export type ComponentStatus =
  'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance' | 'unknown';

export type OverallStatus = ComponentStatus;

export const CHECK_STATE_TEXT: Record<CheckState, string> = {
  operational: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
  maintenance: 'Maintenance',
  unknown: 'No data',
};

export const COMPONENT_STATUS_TEXT: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
  unknown: 'No data',
};

export const OVERALL_STATUS_TEXT: Record<OverallStatus, string> = {
  operational: 'All systems operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
  unknown: 'Status not known yet',
};

export function checkState(current: Pick<CurrentCheckState, 'status' | 'inMaintenance'>): CheckState {
  if (current.inMaintenance) return 'maintenance';
  if (current.status === 'healthy') return 'operational';
  return current.status;
}

export function componentStatus(states: readonly CheckState[]): ComponentStatus {
  const judged = states.filter((state) => state !== 'maintenance' && state !== 'unknown');
  const down = judged.filter((state) => state === 'down').length;
  if (down > 0) return down === judged.length ? 'major_outage' : 'partial_outage';
  if (judged.includes('degraded')) return 'degraded_performance';
  if (states.includes('maintenance')) return 'under_maintenance';
  if (judged.length > 0) return 'operational';
  return 'unknown';
}

/** The statuses below a major outage, the most concerning first. */
const CONCERN = ['partial_outage', 'degraded_performance', 'under_maintenance', 'operational'] as const;

export function overallStatus(components: readonly ComponentStatus[]): OverallStatus {
  const known = components.filter((status) => status !== 'unknown');
  if (known.length === 0) return 'unknown';
  if (known.every((status) => status === 'major_outage')) return 'major_outage';
  if (known.includes('major_outage')) return 'partial_outage';
  return CONCERN.find((status) => known.includes(status)) ?? 'operational';
}
