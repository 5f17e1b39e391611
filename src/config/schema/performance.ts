// Latency thresholds, shared by checks, groups and the `defaults:` block of checks.yml.

import { Type } from '@sinclair/typebox';

import { Strict } from './common.js';

const Milliseconds = (description: string) => Type.Integer({ minimum: 1, maximum: 3_600_000, description });

export const PerformanceSchema = Strict(
  {
    target_ms: Type.Optional(
      Milliseconds('The latency you aim for, in milliseconds (shown on dashboards). Example: 200'),
    ),
    warn_threshold_ms: Type.Optional(
      Milliseconds('A correct answer slower than this is `degraded`, in milliseconds. Example: 300'),
    ),
    critical_threshold_ms: Type.Optional(
      Milliseconds('A correct answer slower than this is `down`, in milliseconds. Example: 500'),
    ),
  },
  { description: 'Latency thresholds; target_ms <= warn_threshold_ms <= critical_threshold_ms.' },
);

export const FailureThreshold = Type.Integer({
  minimum: 1,
  maximum: 100,
  description: 'Consecutive failed probes before the check reports down (1 = the first failure).',
  default: 1,
});
