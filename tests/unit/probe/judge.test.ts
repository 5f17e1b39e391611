import { describe, expect, it } from 'vitest';
import { FRESH_MEMORY, judge, type CheckMemory } from '../../../src/probe/judge.js';
import type { ProbeOutcome } from '../../../src/probe/types.js';
import { httpCheck } from '../../helpers/checks.js';

const thresholds = { targetMs: 100, warnMs: 300, criticalMs: 500 };
const answered = (durationMs: number): ProbeOutcome => ({ ok: true, message: 'HTTP 200', durationMs, phases: {} });
const refused: ProbeOutcome = {
  ok: false,
  reason: 'connect',
  message: 'connection refused',
  durationMs: 1,
  phases: {},
};

describe('judge', () => {
  it.each([
    { case: 'fast answer', outcome: answered(120), status: 'healthy', reason: undefined, message: 'HTTP 200' },
    {
      case: 'at the warning threshold',
      outcome: answered(300),
      status: 'healthy',
      reason: undefined,
      message: 'HTTP 200',
    },
    {
      case: 'over warning',
      outcome: answered(301),
      status: 'degraded',
      reason: 'slow',
      message: 'took 301 ms, over the warning threshold of 300 ms',
    },
    {
      case: 'over critical',
      outcome: answered(800),
      status: 'down',
      reason: 'slow',
      message: 'took 800 ms, over the critical threshold of 500 ms',
    },
    { case: 'failure', outcome: refused, status: 'down', reason: 'connect', message: 'connection refused' },
    {
      case: 'warning from the probe',
      outcome: { ...answered(10), warning: { reason: 'tls' as const, message: 'certificate expires in 5 days' } },
      status: 'degraded',
      reason: 'tls',
      message: 'certificate expires in 5 days',
    },
  ])('$case → $status', ({ outcome, status, reason, message }) => {
    const result = judge(httpCheck('http://x/', { performance: thresholds }), outcome, FRESH_MEMORY, 1000, 2000);
    expect(result).toMatchObject({ checkId: 'http_test', status, message, startedAt: 1000, finishedAt: 2000 });
    expect(result.reason).toBe(reason);
  });

  it('waits for failure_threshold consecutive failures before reporting down', () => {
    const check = httpCheck('http://x/', { failureThreshold: 3 });
    let memory: CheckMemory = { status: 'healthy', consecutiveFailures: 0 };
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const result = judge(check, refused, memory, 0, 1);
      memory = { status: result.status, consecutiveFailures: result.consecutiveFailures };
      statuses.push(`${result.status}:${result.consecutiveFailures}`);
    }
    expect(statuses).toEqual(['healthy:1', 'healthy:2', 'down:3', 'down:4']);
    const recovered = judge(check, answered(5), memory, 0, 1);
    expect(recovered).toMatchObject({ status: 'healthy', consecutiveFailures: 0 });
  });

  it('says how close a check is to down while below the threshold', () => {
    const result = judge(httpCheck('http://x/', { failureThreshold: 2 }), refused, FRESH_MEMORY, 0, 1);
    expect(result.status).toBe('unknown');
    expect(result.reason).toBe('connect');
    expect(result.message).toBe('failure 1 of 2 before down: connection refused');
  });
});
