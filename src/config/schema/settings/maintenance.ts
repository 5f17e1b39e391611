// config.yml `maintenance:` planned downtime, excluded from the SLA. A window is one-off (`start`, `end`) or
// recurring (`cron`, `duration`, optional `timezone`); which one is decided by `cron`, and the keys of the other
// kind are refused by name. Dates, cron expressions and time zones are checked by src/maintenance/validate.ts
// (normalize-maintenance.ts positions its problems), references to checks, groups and components against checks.yml.
//
//   maintenance:
//     - {id: db_upgrade, start: "2026-03-01T22:00:00+01:00", end: "2026-03-02T01:00:00+01:00",
//        checks: [database_health]}
//     - {id: sunday_patching, cron: "0 2 * * 0", duration: 2h, timezone: Europe/Berlin, groups: [critical]}

import { Type } from '@sinclair/typebox';

import { Duration, Forbidden, NonEmptyString } from '../common.js';

export const MAINTENANCE_DURATION_RANGE = { min: '1m', max: '31d' };

const BOTH_KINDS = 'a window is either one-off (`start`, `end`) or recurring (`cron`, `duration`), not both';

const Names = (description: string) => Type.Optional(Type.Array(NonEmptyString(), { uniqueItems: true, description }));

const WindowSchema = Type.Object(
  {
    id: Type.String({
      pattern: '^[A-Za-z0-9_.-]+$',
      patternErrorMessage: 'must use only letters, digits, `_`, `.` and `-`',
      description: 'Unique window id. Example: sunday_patching',
    }),
    description: Type.Optional(Type.String({ description: 'Shown on the status page.' })),
    start: Type.Optional(
      Type.String({ description: 'One-off: ISO 8601 with a UTC offset. Example: 2026-03-01T22:00:00+01:00' }),
    ),
    end: Type.Optional(Type.String({ description: 'One-off: exclusive end, ISO 8601 with a UTC offset.' })),
    cron: Type.Optional(
      Type.String({
        description: 'Recurring: minute hour day-of-month month day-of-week, in `timezone`. Example: 0 2 * * 0',
      }),
    ),
    duration: Type.Optional(
      Duration(MAINTENANCE_DURATION_RANGE, { description: 'Recurring: how long each occurrence lasts (1m to 31d).' }),
    ),
    timezone: Type.Optional(
      NonEmptyString({
        default: 'UTC',
        description: 'Recurring: IANA time zone the cron reads in. Example: Europe/Berlin',
      }),
    ),
    checks: Names('Check ids covered.'),
    groups: Names('Check groups covered.'),
    components: Names('Components (the `component` of checks) covered.'),
  },
  {
    additionalProperties: false,
    description: 'One maintenance window; without checks, groups and components it covers every check.',
    allOf: [
      {
        if: { required: ['cron'] },
        then: {
          required: ['duration'],
          errorMessage: 'missing `duration`: a recurring window (with `cron`) needs how long it lasts, e.g. 2h',
          properties: { start: Forbidden(BOTH_KINDS), end: Forbidden(BOTH_KINDS) },
        },
      },
      {
        if: { not: { required: ['cron'] } },
        then: {
          required: ['start', 'end'],
          errorMessage: 'a window needs `start` and `end` (one-off) or `cron` and `duration` (recurring)',
          properties: {
            duration: Forbidden('`duration` belongs to a recurring window: add `cron`, or use `end`'),
            timezone: Forbidden('`timezone` belongs to a recurring window: give `start` and `end` with a UTC offset'),
          },
        },
      },
    ],
  },
);

export const MaintenanceSection = Type.Array(WindowSchema, {
  description: 'Maintenance windows: excluded from the SLA; results are still stored, flagged.',
});
