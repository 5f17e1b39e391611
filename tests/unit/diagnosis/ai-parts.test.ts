// The pure parts of the AI diagnosis: reading an answer, merging it with the rule diagnosis, the call budget and the
// answer cache.

import { describe, expect, it } from 'vitest';

import { AnswerCache } from '../../../src/diagnosis/ai/answer-cache.js';
import { parseAnswer, type AiAnswer } from '../../../src/diagnosis/ai/answer.js';
import { CallBudget } from '../../../src/diagnosis/ai/call-budget.js';
import { mergedDiagnosis } from '../../../src/diagnosis/ai/merge.js';
import type { AlertDiagnosis } from '../../../src/model/diagnosis.js';

const ANSWER: AiAnswer = {
  summary: 'db.internal refuses connections',
  probable_cause: 'PostgreSQL on db.internal:5432 is down',
  evidence: ['connect ECONNREFUSED 10.0.0.5:5432'],
  recommendations: ['systemctl status postgresql on db.internal'],
  confidence: 'high',
};

describe('parseAnswer', () => {
  it.each([
    ['plain JSON', JSON.stringify(ANSWER), true, undefined],
    ['JSON in a fence', `\`\`\`json\n${JSON.stringify(ANSWER)}\n\`\`\``, true, undefined],
    ['JSON in a bare fence', `\`\`\`\n${JSON.stringify(ANSWER)}\n\`\`\`\n`, true, undefined],
    ['prose', 'The database is down.', false, 'malformed_json'],
    ['cut JSON', '{"summary": "db', false, 'malformed_json'],
    ['an extra key', JSON.stringify({ ...ANSWER, severity: 'high' }), false, 'invalid_answer'],
    ['an empty summary', JSON.stringify({ ...ANSWER, summary: '' }), false, 'invalid_answer'],
    ['a number for a list', JSON.stringify({ ...ANSWER, evidence: 3 }), false, 'invalid_answer'],
    ['an array', '[]', false, 'invalid_answer'],
  ])('%s', (_case, content, ok, reason) => {
    const parsed = parseAnswer(content);
    expect(parsed.ok).toBe(ok);
    if (!parsed.ok) expect(parsed.reason).toBe(reason);
  });
});

describe('mergedDiagnosis', () => {
  const rules: AlertDiagnosis = {
    summary: 'database_health cannot connect',
    probable_cause: 'Nothing listens on db.internal:5432',
    evidence: ['connect ECONNREFUSED 10.0.0.5:5432', 'down since 09:00 UTC'],
    recommendations: ['ss -ltnp on db.internal: is port 5432 open?', 'systemctl status postgresql on db.internal'],
    confidence: 'high',
    source: 'rules',
  };

  it('keeps the rule evidence first and puts the AI steps before the rules’, without repeats', () => {
    const merged = mergedDiagnosis(rules, {
      ...ANSWER,
      evidence: ['Connect  ECONNREFUSED 10.0.0.5:5432', 'the api checks fail at the same time'],
      recommendations: ['Systemctl status postgresql on db.internal', 'look at the PostgreSQL log'],
      confidence: 'medium',
    });
    expect(merged).toEqual({
      summary: 'db.internal refuses connections',
      probable_cause: 'PostgreSQL on db.internal:5432 is down',
      evidence: ['connect ECONNREFUSED 10.0.0.5:5432', 'down since 09:00 UTC', 'the api checks fail at the same time'],
      recommendations: [
        'Systemctl status postgresql on db.internal',
        'look at the PostgreSQL log',
        'ss -ltnp on db.internal: is port 5432 open?',
      ],
      confidence: 'medium',
      source: 'ai',
    });
  });

  it('bounds what the AI adds and keeps the rules’ cause when the AI gives none', () => {
    const merged = mergedDiagnosis(rules, {
      ...ANSWER,
      summary: `  ${'long '.repeat(300)}\n`,
      probable_cause: ' ',
      evidence: Array.from({ length: 50 }, (_, index) => `fact ${index}`),
      recommendations: Array.from({ length: 50 }, (_, index) => `step ${index}`),
    });
    expect(merged.summary.length).toBeLessThanOrEqual(600);
    expect(merged.probable_cause).toBe(rules.probable_cause);
    expect(merged.evidence).toHaveLength(20);
    expect(merged.evidence.slice(0, 2)).toEqual(rules.evidence);
    expect(merged.recommendations).toEqual([
      ...['0', '1', '2', '3', '4'].map((n) => `step ${n}`),
      ...rules.recommendations,
    ]);
  });
});

describe('CallBudget', () => {
  it('allows a minute’s calls at once, then refills evenly', () => {
    let now = 0;
    const budget = new CallBudget(3, () => now);
    expect([budget.tryTake(), budget.tryTake(), budget.tryTake(), budget.tryTake()]).toEqual([true, true, true, false]);
    now = 19_999;
    expect(budget.tryTake()).toBe(false);
    now = 20_000;
    expect(budget.tryTake()).toBe(true);
    now = 10 * 60_000;
    expect([budget.tryTake(), budget.tryTake(), budget.tryTake(), budget.tryTake()]).toEqual([true, true, true, false]);
  });
});

describe('AnswerCache', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const cache = new AnswerCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });
});
