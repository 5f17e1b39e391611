import { describe, expect, it } from 'vitest';
import { windowProblems } from '../../../src/maintenance/validate.js';
import type { MaintenanceWindow } from '../../../src/model/maintenance.js';

const recurring = (fields: Partial<Extract<MaintenanceWindow, { kind: 'recurring' }>>): MaintenanceWindow => ({
  kind: 'recurring',
  id: 'nightly',
  cron: '0 3 * * *',
  durationMs: 3_600_000,
  timezone: 'Europe/Berlin',
  scope: {},
  ...fields,
});
const oneOff = (start: string, end: string): MaintenanceWindow => ({
  kind: 'one-off',
  id: 'upgrade',
  start,
  end,
  scope: {},
});

describe('windowProblems', () => {
  it.each<[string, MaintenanceWindow, string[]]>([
    ['a valid recurring window', recurring({}), []],
    ['a valid one-off window', oneOff('2026-03-01T22:00:00+01:00', '2026-03-01T23:00:00Z'), []],
    ['six cron fields', recurring({ cron: '0 0 3 * * *' }), ['cron']],
    ['a minute out of range', recurring({ cron: '61 3 * * *' }), ['cron']],
    ['no duration', recurring({ durationMs: 0 }), ['duration']],
    ['an unknown time zone', recurring({ timezone: 'Berlin' }), ['timezone']],
    ['an empty id', recurring({ id: ' ' }), ['id']],
    ['a start without UTC offset', oneOff('2026-03-01T22:00:00', '2026-03-01T23:00:00Z'), ['start']],
    ['not a date', oneOff('tomorrow', 'later'), ['start', 'end']],
    ['an end before the start', oneOff('2026-03-01T22:00:00Z', '2026-03-01T21:00:00Z'), ['end']],
  ])('%s', (_name, window, fields) => {
    expect(windowProblems(window).map((p) => p.field)).toEqual(fields);
  });

  it('says what is wrong in words', () => {
    expect(windowProblems(recurring({ timezone: 'Berlin' }))[0]?.message).toBe(
      'unknown time zone "Berlin" (use an IANA name such as Europe/Berlin)',
    );
  });
});
