// config.yml `maintenance:` and `retention:`: the windows and periods a valid file gives, and every broken fixture's
// problems at FILE:LINE:COL: PATH:, worded for the user.

import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { fixtureDir, loadDir, loadedConfig, problemLines } from './fixtures.js';

const DAY = 86_400_000;

describe('a valid maintenance and retention section', () => {
  const config = loadedConfig(loadDir(fixtureDir('maintenance/valid')));

  it('gives one-off and recurring windows with their scopes; the time zone defaults to UTC', () => {
    expect(config.settings.maintenance).toEqual([
      {
        kind: 'one-off',
        id: 'db_upgrade',
        description: 'PostgreSQL 16 upgrade',
        start: '2026-03-01T22:00:00+01:00',
        end: '2026-03-02T01:00:00+01:00',
        scope: { checks: ['database_health'] },
      },
      {
        kind: 'recurring',
        id: 'sunday_patching',
        cron: '0 2 * * 0',
        durationMs: 2 * 3_600_000,
        timezone: 'Europe/Berlin',
        scope: { groups: ['critical'], components: ['data'] },
      },
      {
        kind: 'recurring',
        id: 'nightly_backup',
        cron: '30 3 * * *',
        durationMs: 15 * 60_000,
        timezone: 'UTC',
        scope: {},
      },
    ]);
  });

  it('takes the retention periods written and the defaults for the rest', () => {
    expect(config.settings.retention).toEqual({
      resultsMs: 30 * DAY,
      incidentsMs: 365 * DAY,
      alertsMs: 30 * DAY,
      hourlyRollupsMs: 60 * DAY,
    });
  });

  it('has no windows and the default retention without the sections', () => {
    const plain = loadedConfig(loadDir(fixtureDir('valid/flat')));
    expect(plain.settings.maintenance).toEqual([]);
    expect(plain.settings.retention).toEqual({
      resultsMs: 90 * DAY,
      incidentsMs: 365 * DAY,
      alertsMs: 30 * DAY,
      hourlyRollupsMs: 90 * DAY,
    });
  });
});

interface Case {
  fixture: string;
  /** Each problem as `LINE:COL: PATH: message` after the file name; `FILE` stands for the file. */
  problems: string[];
}

const cases: Case[] = [
  {
    fixture: 'broken-kinds',
    problems: [
      '3:12: maintenance[0].start: a window is either one-off (`start`, `end`) or recurring (`cron`, `duration`), not both',
      '6:5: maintenance[1]: a window needs `start` and `end` (one-off) or `cron` and `duration` (recurring)',
      '8:5: maintenance[2]: missing `duration`: a recurring window (with `cron`) needs how long it lasts, e.g. 2h',
      '9:96: maintenance[3].timezone: `timezone` belongs to a recurring window: give `start` and `end` with a UTC offset',
    ],
  },
  {
    fixture: 'broken-times',
    problems: [
      '2:28: maintenance[0].start: "2026-03-01T22:00:00" is not an ISO 8601 date and time with a UTC offset, e.g. 2026-03-01T22:00:00Z',
      '3:57: maintenance[1].end: must be after start (2026-03-01T22:00:00Z)',
      '4:28: maintenance[2].cron: not a 5-field cron expression: ',
      '5:59: maintenance[3].timezone: unknown time zone "Berlin" (use an IANA name such as Europe/Berlin)',
      '6:49: maintenance[4].duration: must be at most 31d, got 40d',
    ],
  },
  {
    fixture: 'broken-references',
    problems: [
      '5:24: maintenance[0].checks[1]: unknown check id `api_rot` (not defined in checks.yml)',
      '6:30: maintenance[0].groups[2]: unknown check group `crtical` (not defined in checks.yml)',
      '7:33: maintenance[0].components[2]: unknown component `frontend` (not defined in checks.yml)',
    ],
  },
  {
    fixture: 'broken-duplicate-id',
    problems: [
      '3:10: maintenance[1].id: must use only letters, digits, `_`, `.` and `-`, got `bad id`',
      '4:10: maintenance[2].id: duplicate maintenance window id `patching` (first defined at FILE:2:10)',
    ],
  },
  {
    fixture: 'broken-retention',
    problems: [
      '2:12: retention.results: must be at least 1d, got 12h',
      '3:14: retention.incidents: must be a duration like 30s, 5m or 1h30m, got 365',
      '4:11: retention.alerts: must be a duration like 30s, 5m or 1h30m, got `30 days`',
      '5:19: retention.hourly_rollups: must be at most 10y, got 11y',
      '6:3: retention.rollups: unknown key `rollups` (allowed: results, incidents, alerts, hourly_rollups)',
    ],
  },
  {
    fixture: 'broken-types',
    problems: [
      '2:35: maintenance[0].duraton: unknown key `duraton` (allowed: id, description, cron, duration, timezone, checks, groups, components)',
      '3:65: maintenance[1].checks: must be a list, got `api_root`',
      '4:5: maintenance[2]: must be a mapping, got `just a string`',
    ],
  },
];

describe.each(cases)('maintenance/$fixture', ({ fixture, problems }) => {
  it('reports each problem where it was written', () => {
    const file = path.join(fixtureDir(`maintenance/${fixture}`), 'config.yml');
    const lines = problemLines(loadDir(fixtureDir(`maintenance/${fixture}`)));
    expect(lines).toHaveLength(problems.length);
    lines.forEach((line, index) => {
      expect(line.startsWith(`${file}:${problems[index]!.replaceAll('FILE', file)}`), line).toBe(true);
    });
  });
});
