// What a check run produces once judged: one vocabulary of statuses and reasons shared by the prober, the store, the
// SLA math, the status page and the receiver.

export type CheckStatus = 'healthy' | 'degraded' | 'down' | 'unknown';

/** `missed`: a push check's job did not ping within its interval and grace. */
export type FailureReason =
  'slow' | 'timeout' | 'dns' | 'connect' | 'tls' | 'status_code' | 'header' | 'body' | 'json_path' | 'error' | 'missed';

export type Phase = 'dns' | 'connect' | 'tls' | 'processing' | 'transfer';

/** Phase durations in milliseconds; a phase that did not happen is absent. */
export type PhaseTimings = Partial<Record<Phase, number>>;

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
  /** Unix seconds: when the earliest-expiring certificate presented expires. */
  certExpiresAt?: number;
  /** Consecutive failed probes up to and including this one (0 when this one passed). */
  consecutiveFailures: number;
}
