import { describe, expect, it } from 'vitest';
import { SummaryTable } from '../../../src/sla/summary-table.js';
import { combine, emptySummary, type UptimeSummary } from '../../../src/sla/uptime.js';

const YEAR_MS = 365 * 86_400_000;
const summary = (upMs: number, downMs = 0): UptimeSummary => ({
  upMs,
  degradedMs: 7,
  downMs,
  maintenanceMs: 3,
  unknownMs: YEAR_MS - upMs - downMs - 10,
  checksTotal: 1_051_200,
  checksSuccess: 1_051_000,
  checksFailed: 200,
});
const checks = [{ id: 'api' }, { id: 'web' }, { id: 'db' }];

describe('SummaryTable', () => {
  it('gives back every summary it was built with, exactly, in the order of the checks', () => {
    const web = summary(YEAR_MS - 5_000_001, 4_999_990);
    const api = summary(1, 0);
    const table = SummaryTable.of(
      checks,
      new Map([
        ['web', web],
        ['api', api],
      ]),
    );
    expect(table.get('web')).toEqual(web);
    expect(table.get('api')).toEqual(api);
    expect([...table]).toEqual([
      ['api', api],
      ['web', web],
    ]);
  });

  it('knows nothing of a check without a summary or of an id that is not among the checks', () => {
    const table = SummaryTable.of(
      checks,
      new Map([
        ['gone', summary(1)],
        ['db', summary(2)],
      ]),
    );
    expect(table.get('api')).toBeUndefined();
    expect(table.get('gone')).toBeUndefined();
    expect([...table].map(([id]) => id)).toEqual(['db']);
  });

  it('hands out copies: changing one leaves the table as it was', () => {
    const table = SummaryTable.of(checks, new Map([['api', summary(10)]]));
    const copy = table.get('api')!;
    copy.upMs += 1_000;
    for (const [, each] of table) each.downMs = 99;
    expect(table.get('api')).toEqual(summary(10));
  });

  it('adds up tables of the same checks and maps alike, as combine() does', () => {
    const first = new Map([
      ['api', summary(100, 5)],
      ['db', summary(7)],
    ]);
    const second = new Map([
      ['api', summary(YEAR_MS / 2, 1)],
      ['web', summary(3)],
      ['gone', summary(1)],
    ]);
    const totals = SummaryTable.zeros(checks);
    totals.addAll(SummaryTable.of(checks, first));
    totals.addAll(second);
    totals.addAll(SummaryTable.of(checks, second));
    expect(new Map(totals)).toEqual(
      new Map([
        ['api', combine([summary(100, 5), summary(YEAR_MS / 2, 1), summary(YEAR_MS / 2, 1)])],
        ['web', combine([summary(3), summary(3)])],
        ['db', summary(7)],
      ]),
    );
  });

  it('starts every check at an empty summary, and a check added into a table without one gets the summary added', () => {
    expect(new Map(SummaryTable.zeros(checks))).toEqual(new Map(checks.map(({ id }) => [id, emptySummary()])));
    const some = SummaryTable.of(checks, new Map([['api', summary(1)]]));
    some.addAll(
      SummaryTable.of(
        checks,
        new Map([
          ['api', summary(2)],
          ['db', summary(4)],
        ]),
      ),
    );
    expect(new Map(some)).toEqual(
      new Map([
        ['api', combine([summary(1), summary(2)])],
        ['db', summary(4)],
      ]),
    );
  });
});
