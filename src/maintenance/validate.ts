// Checks a maintenance window the way the config loader reports problems: every problem at once, each naming the
// field, in words a user understands. The expansion code assumes windows that passed this.

import type { MaintenanceWindow } from '../model/maintenance.js';
import { compileCron } from './windows.js';
import { isTimeZone } from './zoned-time.js';

export interface WindowProblem {
  /** Field of the window, e.g. `cron`. */
  field: string;
  message: string;
}

// A date and time with an explicit UTC offset: without one the instant would depend on the server's time zone.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function windowProblems(window: MaintenanceWindow): WindowProblem[] {
  const problems: WindowProblem[] = [];
  if (window.id.trim() === '') problems.push({ field: 'id', message: 'must not be empty' });
  if (window.kind === 'one-off') {
    const start = parseInstant(window.start, problems, 'start');
    const end = parseInstant(window.end, problems, 'end');
    if (start !== undefined && end !== undefined && end <= start)
      problems.push({ field: 'end', message: `must be after start (${window.start})` });
    return problems;
  }
  try {
    compileCron(window.cron);
  } catch (error) {
    problems.push({ field: 'cron', message: `not a 5-field cron expression: ${(error as Error).message}` });
  }
  if (!(window.durationMs > 0)) problems.push({ field: 'duration', message: 'must be longer than zero' });
  if (!isTimeZone(window.timezone))
    problems.push({
      field: 'timezone',
      message: `unknown time zone "${window.timezone}" (use an IANA name such as Europe/Berlin)`,
    });
  return problems;
}

function parseInstant(value: string, problems: WindowProblem[], field: string): number | undefined {
  const instant = Date.parse(value);
  if (ISO_WITH_OFFSET.test(value) && !Number.isNaN(instant)) return instant;
  problems.push({
    field,
    message: `"${value}" is not an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T22:00:00Z`,
  });
  return undefined;
}
