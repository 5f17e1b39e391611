// The rule diagnosis end to end over a real store: each scenario's results are stored (SQLite in a temporary
// directory, and a real PostgreSQL server), the evidence is gathered from the store as the receiver will, and the
// diagnosis must name the right cause, its evidence and a concrete next step. No secret of a check may appear.

import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseWithRules, gatherEvidence, ruleFindings } from '../../../src/diagnosis/index.js';
import { PostgresStore } from '../../../src/store/postgres-store.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';
import { makeTempDir } from '../../helpers/temp-dirs.js';
import { NOW, scenarios, seed, subjectFor, type Scenario } from './scenarios.js';

/** What the receiver will pass for an availability alert when no rule fits (enrichment/classify.ts). */
const FALLBACK = ['Open the check and confirm the failure from another location (vigil probe --once --check ID).'];

const SECRETS = ['abc123', '0rders-pw', 'b1lling-pw', 's3cret-pw'];

let postgres: PostgresServer | undefined;
let databases = 0;
const opened: Store[] = [];

const backends: Array<{ backend: string; open: () => Promise<Store> }> = [
  {
    backend: 'sqlite',
    open: () => SqliteStore.open(path.join(makeTempDir('vigil-diagnosis'), 'vigil.db')),
  },
  {
    backend: 'postgres',
    async open() {
      postgres ??= await startPostgres();
      databases += 1;
      const database = await postgres.createDatabase(`diagnosis_${databases}`);
      return PostgresStore.open(database.url, { poolSize: 2 });
    },
  },
];

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await postgres?.stop();
});

async function diagnose(open: () => Promise<Store>, scenario: Scenario) {
  const store = await open();
  opened.push(store);
  await seed(store, scenario.results);
  const evidence = await gatherEvidence(subjectFor(scenario.checkId), {
    store,
    checks: scenario.checks,
    maintenance: [],
    now: NOW,
    lookbackMs: 60 * 60_000,
  });
  return { evidence, diagnosis: diagnoseWithRules(evidence, { fallbackRecommendations: FALLBACK }) };
}

describe.each(backends)('the rule diagnosis over a $backend store', ({ open }) => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const { evidence, diagnosis } = await diagnose(open, scenario);
    const { expected } = scenario;

    expect(diagnosis.source).toBe('rules');
    expect(ruleFindings(evidence)[0]?.rule ?? 'none').toBe(expected.rule);
    if (expected.rule === 'none') {
      expect(diagnosis.summary).toMatch(/^insufficient evidence: no rule fits legacy$/);
      expect(diagnosis.probable_cause).toBeNull();
    }
    for (const cause of expected.cause) expect(diagnosis.probable_cause).toMatch(cause);
    for (const item of expected.evidence) {
      expect(
        diagnosis.evidence.some((line) => item.test(line)),
        `${item} in ${JSON.stringify(diagnosis.evidence)}`,
      ).toBe(true);
    }
    for (const step of expected.recommendations) {
      expect(
        diagnosis.recommendations.some((line) => line.includes(step)),
        `${step} in ${JSON.stringify(diagnosis.recommendations)}`,
      ).toBe(true);
    }
    if (expected.confidence !== undefined) expect(diagnosis.confidence).toBe(expected.confidence);
    for (const secret of SECRETS) expect(JSON.stringify({ evidence, diagnosis })).not.toContain(secret);
  });
});

describe('the rule diagnosis is deterministic', () => {
  it('gives the same diagnosis for the same evidence', async () => {
    const scenario = scenarios.find((candidate) => candidate.expected.rule === 'shared_dependency')!;
    const { evidence, diagnosis } = await diagnose(backends[0]!.open, scenario);
    expect(diagnoseWithRules(structuredClone(evidence), { fallbackRecommendations: FALLBACK })).toEqual(diagnosis);
  });
});
