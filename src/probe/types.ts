// The probe interface: what one protocol's probe is handed and what it produces before it is judged
// (judge.ts turns an outcome into a CheckResult of model/result.ts).

import type { CheckDefinition } from '../model/check.js';
import type { FailureReason, PhaseTimings } from '../model/result.js';

/**
 * The raw outcome of one probe, before thresholds and consecutive-failure counting are applied.
 * A probe never throws: every failure is an outcome with `ok: false`, a reason and a message.
 */
export type ProbeOutcome = ProbeSuccess | ProbeFailure;

interface OutcomeCommon {
  /** Time the target took, in milliseconds, measured around the I/O only. */
  durationMs: number;
  phases: PhaseTimings;
  /** Last HTTP status code seen (http and websocket upgrade). */
  httpStatus?: number;
  /** Earliest certificate expiry seen, Unix seconds (tls, https, wss). */
  certExpiresAt?: number;
}

export interface ProbeSuccess extends OutcomeCommon {
  ok: true;
  message: string;
  /** The target answered correctly but something needs attention (a certificate close to expiry): degraded. */
  warning?: { reason: Exclude<FailureReason, 'slow'>; message: string };
}

export interface ProbeFailure extends OutcomeCommon {
  ok: false;
  reason: Exclude<FailureReason, 'slow'>;
  message: string;
}

export interface ProbeContext {
  /** Aborted when the check's timeout elapses (or the prober shuts down). */
  signal: AbortSignal;
  timeoutMs: number;
}

/** One protocol's probe: the check (already narrowed to its type) and a context in, an outcome out; never throws. */
export type ProbeFn<C extends CheckDefinition = CheckDefinition> = (
  check: C,
  context: ProbeContext,
) => Promise<ProbeOutcome>;
