// The probe map: one function per check type, and `runProbe`, which gives a probe its deadline and guarantees an
// outcome even from a probe that misbehaves (throws, or ignores its abort signal).

import type { CheckDefinition, ProbedCheck, ProbedCheckType } from '../model/check.js';
import { probeDns } from './dns.js';
import { formatDuration } from './errors.js';
import { probeHttp } from './http.js';
import { probePostgres } from './postgres.js';
import { probeRedis } from './redis.js';
import { probeTcp } from './tcp.js';
import { probeTls } from './tls.js';
import type { ProbeFn, ProbeOutcome } from './types.js';
import { probeWebsocket } from './websocket.js';

/** Push checks are absent: nothing probes them, their jobs ping the prober (schedule/push-watch.ts). */
type ProbeMap = { [T in ProbedCheckType]: ProbeFn<Extract<CheckDefinition, { type: T }>> };

export const probes: ProbeMap = {
  http: probeHttp,
  tcp: probeTcp,
  dns: probeDns,
  tls: probeTls,
  websocket: probeWebsocket,
  postgres: probePostgres,
  redis: probeRedis,
};

/** Whether the prober probes the check itself (every type but push). */
export function isProbedCheck(check: CheckDefinition): check is ProbedCheck {
  return check.type !== 'push';
}

/** How long past its timeout a probe may take to notice the abort before it is abandoned. */
const ABANDON_GRACE_MS = 1_000;

/**
 * Runs one probe with the check's timeout. `shutdown` aborts it early (the prober is stopping).
 * Resolves to an outcome always.
 */
export async function runProbe(check: ProbedCheck, shutdown?: AbortSignal): Promise<ProbeOutcome> {
  const controller = new AbortController();
  const abortOnShutdown = (): void => controller.abort(shutdown?.reason);
  shutdown?.addEventListener('abort', abortOnShutdown, { once: true });
  const started = performance.now();
  const deadline = setTimeout(() => controller.abort(new Error('timeout')), check.timeoutMs);
  let abandon: NodeJS.Timeout | undefined;
  try {
    const probe = probes[check.type] as ProbeFn;
    const abandoned = new Promise<ProbeOutcome>((resolve) => {
      abandon = setTimeout(() => {
        resolve({
          ok: false,
          reason: 'timeout',
          message: `no result within ${formatDuration(check.timeoutMs)}`,
          durationMs: performance.now() - started,
          phases: {},
        });
      }, check.timeoutMs + ABANDON_GRACE_MS);
    });
    return await Promise.race([probe(check, { signal: controller.signal, timeoutMs: check.timeoutMs }), abandoned]);
  } catch (error) {
    return {
      ok: false,
      reason: 'error',
      message: `probe failed: ${error instanceof Error ? error.message : String(error)}`,
      durationMs: performance.now() - started,
      phases: {},
    };
  } finally {
    clearTimeout(deadline);
    clearTimeout(abandon);
    shutdown?.removeEventListener('abort', abortOnShutdown);
  }
}
