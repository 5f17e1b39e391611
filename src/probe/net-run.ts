// The bookkeeping of one run of a socket-level probe: phase timings, the check's deadline (the context signal),
// the sockets and resolvers to tear down afterwards, and turning whatever happened into a ProbeOutcome.
// A probe body throws ProbeFailureError for a failure it understands; `runProbe` turns that, a deadline or any
// unexpected exception into an outcome and always releases what the run opened, so a probe never rejects.

import { performance } from 'node:perf_hooks';
import type { Phase, PhaseTimings } from '../model/result.js';
import { type DescribedFailure, errorText, type ProbeFailureReason } from './errors.js';
import type { ProbeContext, ProbeFailure, ProbeOutcome, ProbeSuccess } from './types.js';

/** A failure the probe has already put into words. */
export class ProbeFailureError extends Error {
  constructor(
    readonly reason: ProbeFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeFailureError';
  }

  static from(failure: DescribedFailure): ProbeFailureError {
    return new ProbeFailureError(failure.reason, failure.message);
  }
}

/** The check's deadline passed while the run was waiting for `waitingFor`. */
class DeadlineError extends Error {
  constructor(readonly waitingFor: string) {
    super(`deadline passed waiting for ${waitingFor}`);
    this.name = 'DeadlineError';
  }
}

export class ProbeRun {
  readonly phases: PhaseTimings = {};
  certExpiresAt?: number;
  httpStatus?: number;
  private readonly startedAt = performance.now();
  private readonly releases: Array<() => void> = [];

  constructor(private readonly context: ProbeContext) {}

  /**
   * Waits for `work`, adding the time spent to `phase` (when given), and gives up once the check's signal fires:
   * with the failure `atDeadline` returns, when it returns one (a partial answer may say more than "timeout"),
   * else with a timeout naming `waitingFor`.
   */
  async step<T>(
    waitingFor: string,
    phase: Phase | undefined,
    work: () => Promise<T>,
    atDeadline?: () => ProbeFailureError | undefined,
  ): Promise<T> {
    const started = performance.now();
    const deadline = () => atDeadline?.() ?? new DeadlineError(waitingFor);
    try {
      return await untilAborted(work, this.context.signal, deadline);
    } finally {
      if (phase) this.phases[phase] = (this.phases[phase] ?? 0) + (performance.now() - started);
    }
  }

  get timeoutMs(): number {
    return this.context.timeoutMs;
  }

  /** Registers teardown (destroy a socket, cancel a resolver) run once the outcome is known. */
  onRelease(release: () => void): void {
    this.releases.push(release);
  }

  success(message: string, warning?: ProbeSuccess['warning']): ProbeSuccess {
    return { ok: true, message, ...(warning ? { warning } : {}), ...this.common() };
  }

  failure(reason: ProbeFailureReason, message: string): ProbeFailure {
    return { ok: false, reason, message, ...this.common() };
  }

  /** The outcome for anything a probe body threw. */
  failureFrom(error: unknown): ProbeFailure {
    if (error instanceof ProbeFailureError) return this.failure(error.reason, error.message);
    if (error instanceof DeadlineError) {
      return this.failure('timeout', `timed out after ${this.context.timeoutMs} ms waiting for ${error.waitingFor}`);
    }
    return this.failure('error', `unexpected error: ${errorText(error)}`);
  }

  release(): void {
    for (const release of this.releases.splice(0).reverse()) {
      try {
        release();
      } catch {
        // Teardown of an already-broken socket or resolver has nothing left to report: the outcome is decided.
      }
    }
  }

  private common(): Pick<ProbeOutcome, 'durationMs' | 'phases' | 'certExpiresAt' | 'httpStatus'> {
    return {
      durationMs: performance.now() - this.startedAt,
      phases: { ...this.phases },
      ...(this.certExpiresAt !== undefined ? { certExpiresAt: this.certExpiresAt } : {}),
      ...(this.httpStatus !== undefined ? { httpStatus: this.httpStatus } : {}),
    };
  }
}

/** Runs a probe body and turns every way it can end into an outcome; the run's sockets are released either way. */
export async function runProbe(
  context: ProbeContext,
  body: (run: ProbeRun) => Promise<ProbeOutcome>,
): Promise<ProbeOutcome> {
  const run = new ProbeRun(context);
  try {
    return await body(run);
  } catch (error) {
    return run.failureFrom(error);
  } finally {
    run.release();
  }
}

/** Compiles a user-supplied pattern, failing the run (reason error) rather than throwing on a bad one. */
export function compilePattern(pattern: string | undefined, what: string): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new ProbeFailureError('error', `invalid ${what} pattern /${pattern}/: ${errorText(error)}`);
  }
}

/** Shortens received text for a message: printable, one line, at most `max` characters. */
export function excerpt(text: string, max = 100): string {
  const oneLine = JSON.stringify(text).slice(1, -1);
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

function untilAborted<T>(work: () => Promise<T>, signal: AbortSignal, deadline: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(deadline());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadline());
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal.removeEventListener('abort', onAbort);
    let pending: Promise<T>;
    try {
      pending = work();
    } catch (error) {
      settle();
      reject(error);
      return;
    }
    pending.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}
