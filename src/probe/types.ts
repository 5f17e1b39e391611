// What a probe produces and what the rest of the system derives from it. One vocabulary of statuses and reasons,
// shared by the prober, the store, the status page and the receiver.

import type { CheckDefinition } from '../config/types.js';

export type CheckStatus = 'healthy' | 'degraded' | 'down' | 'unknown';

export type FailureReason =
  | 'slow'
  | 'timeout'
  | 'dns'
  | 'connect'
  | 'tls'
  | 'status_code'
  | 'header'
  | 'body'
  | 'json_path'
  | 'error';

export type Phase = 'dns' | 'connect' | 'tls' | 'processing' | 'transfer';

/** Phase durations in milliseconds; a phase that did not happen is absent. */
export type PhaseTimings = Partial<Record<Phase, number>>;

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
export type ProbeFn<C extends CheckDefinition = CheckDefinition> = (check: C, context: ProbeContext) => Promise<ProbeOutcome>;

/** A judged result: what is stored, exported as metrics and shown. */
export interface CheckResult {
  checkId: string;
  status: CheckStatus;
  /** Present whenever status is not healthy. */
  reason?: FailureReason;
  message: string;
  /** Unix milliseconds when the probe started and finished. */
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  phases: PhaseTimings;
  httpStatus?: number;
  certExpiresAt?: number;
  /** Consecutive failed probes up to and including this one (0 when this one passed). */
  consecutiveFailures: number;
}
