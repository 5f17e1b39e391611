// Priority as a table: severity sets the start, a large overage or a widespread problem each raise it one step.

import { describe, expect, it } from 'vitest';
import { computePriority, overageOf } from '../../../src/receiver/enrichment/priority.js';

describe('computePriority', () => {
  it.each([
    ['critical', undefined, 1, 'P2'],
    ['critical', 0.49, 2, 'P2'],
    ['critical', 0.5, 1, 'P1'],
    ['critical', undefined, 3, 'P1'],
    ['critical', 2, 10, 'P1'],
    ['Critical', undefined, 1, 'P2'],
    ['page', undefined, 1, 'P2'],
    ['warning', undefined, 1, 'P3'],
    ['warning', 1, 1, 'P2'],
    ['warning', 1, 5, 'P1'],
    ['info', undefined, 1, 'P4'],
    ['info', 0.8, 1, 'P3'],
    ['', undefined, 4, 'P3'],
    ['whatever', 3, 3, 'P2'],
  ] as const)('%s, overage %s, %i checks → %s', (severity, overage, affectedChecks, priority) => {
    expect(computePriority({ severity, affectedChecks, ...(overage === undefined ? {} : { overage }) })).toBe(priority);
  });
});

describe('overageOf', () => {
  it.each([
    [{ value: '0.9', threshold: '0.5' }, {}, 0.8],
    [{ value: '0.4', threshold: '0.5' }, {}, 0],
    [{ value: '750' }, { threshold: '500' }, 0.5],
    [{ value: 'n/a', threshold: '1' }, {}, undefined],
    [{ value: '1', threshold: '0' }, {}, undefined],
    [{}, {}, undefined],
  ])('%j %j → %s', (annotations, labels, overage) => {
    const result = overageOf(annotations, labels);
    if (overage === undefined) expect(result).toBeUndefined();
    else expect(result).toBeCloseTo(overage, 10);
  });
});
