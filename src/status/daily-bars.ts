// The daily uptime bars: one per UTC day, coloured by how the day went, with the words for its tooltip.
//
// Levels: `none` nothing measured; `major` uptime below 99 % (about a quarter hour down); `minor` any downtime or
// degraded time above that; `maintenance` a clean day that had a maintenance window; `ok` a clean day.

import { DAY_MS } from '../sla/rollup.js';
import { formatMinutes, formatPercent, utcDay } from './format.js';
import type { DailyUptime } from './status-source.js';

export type BarLevel = 'none' | 'ok' | 'minor' | 'major' | 'maintenance';

export interface DayBar extends DailyUptime {
  level: BarLevel;
  /** Tooltip and accessible label, e.g. "2026-11-20: 99.12 % up, 12 min down". */
  label: string;
}

const MAJOR_BELOW_PERCENT = 99;

/** The last `count` UTC days, oldest first, today last. */
export function dayKeys(now: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => utcDay(now - (count - 1 - index) * DAY_MS));
}

export function barLevel(day: DailyUptime): BarLevel {
  if (day.uptimePercent === undefined) return day.maintenanceMinutes > 0 ? 'maintenance' : 'none';
  if (day.uptimePercent < MAJOR_BELOW_PERCENT) return 'major';
  if (day.downMinutes > 0 || day.degradedMinutes > 0 || day.uptimePercent < 100) return 'minor';
  return day.maintenanceMinutes > 0 ? 'maintenance' : 'ok';
}

export function barLabel(day: DailyUptime): string {
  const parts: string[] = [];
  if (day.uptimePercent !== undefined) parts.push(`${formatPercent(day.uptimePercent)} % up`);
  if (day.downMinutes > 0) parts.push(`${formatMinutes(day.downMinutes)} down`);
  if (day.degradedMinutes > 0) parts.push(`${formatMinutes(day.degradedMinutes)} degraded`);
  if (day.maintenanceMinutes > 0) parts.push(`${formatMinutes(day.maintenanceMinutes)} maintenance`);
  return `${day.day}: ${parts.length > 0 ? parts.join(', ') : 'no data'}`;
}

/** One bar per day of `keys`; a day the source did not report is a day with no data. */
export function dayBars(keys: readonly string[], reported: readonly DailyUptime[]): DayBar[] {
  const byDay = new Map(reported.map((day) => [day.day, day]));
  return keys.map((key) => {
    const day = byDay.get(key) ?? { day: key, downMinutes: 0, degradedMinutes: 0, maintenanceMinutes: 0 };
    return { level: barLevel(day), label: barLabel(day), ...day };
  });
}
