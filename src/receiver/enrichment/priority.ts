// Priority of an alert, P1 (drop everything) to P4 (look when convenient): the severity sets the starting point,
// then each aggravating fact raises it one step: the measured value far over its threshold, or many checks
// affected by the same alert at once.

import type { Priority } from '../../model/alert.js';

export interface PriorityFacts {
  /** The `severity` label as sent. */
  severity: string;
  /** How far the value is over its threshold: 0.5 is 50 % over; undefined when the alert does not say. */
  overage?: number;
  /** Checks with an open alert of the same name, this one included. */
  affectedChecks: number;
}

/** Overage from which the alert counts as far over its threshold. */
export const HIGH_OVERAGE = 0.5;
/** Affected checks from which the problem counts as widespread. */
export const WIDESPREAD_CHECKS = 3;

const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4'];

function baseLevel(severity: string): number {
  switch (severity.toLowerCase()) {
    case 'critical':
    case 'page':
    case 'error':
      return 1;
    case 'warning':
    case 'warn':
      return 2;
    default:
      return 3;
  }
}

export function computePriority(facts: PriorityFacts): Priority {
  let level = baseLevel(facts.severity);
  if (facts.overage !== undefined && facts.overage >= HIGH_OVERAGE) level -= 1;
  if (facts.affectedChecks >= WIDESPREAD_CHECKS) level -= 1;
  return PRIORITIES[Math.max(0, level)] ?? 'P4';
}

/**
 * (value − threshold) / threshold from the alert's `value` and `threshold` annotations (or labels), the way the
 * shipped rules write them; undefined when either is missing, not a number, or the threshold is not positive.
 */
export function overageOf(
  annotations: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): number | undefined {
  const value = Number.parseFloat(annotations['value'] ?? labels['value'] ?? '');
  const threshold = Number.parseFloat(annotations['threshold'] ?? labels['threshold'] ?? '');
  if (!Number.isFinite(value) || !Number.isFinite(threshold) || threshold <= 0) return undefined;
  return Math.max(0, (value - threshold) / threshold);
}
