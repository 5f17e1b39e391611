// Timeouts: which phase stalled (DNS, connect, TLS, waiting for the answer, reading the body), and what that points
// at: a resolver or network path that drops packets, a server that accepts but never answers (overloaded when it
// had been slowing down, else hung or waiting on a dead upstream).

import type { CheckEvidence, Finding, ResultEvidence } from '../../model/diagnosis.js';
import { endpointOf } from '../evidence/check-target.js';
import { digCommand } from './dns.js';
import {
  beforeFailure,
  currentFailure,
  describeLastHealthy,
  describeRun,
  failingRun,
  formatMs,
  median,
  present,
  shellWord,
} from './facts.js';
import type { RuleFn } from './rule.js';

type StalledPhase = 'dns' | 'connect' | 'tls' | 'processing' | 'transfer';

/** What the probes' timeout messages say about where they were waiting. */
const PHASE_WORDS: ReadonlyArray<readonly [RegExp, StalledPhase]> = [
  [/DNS|answer from|the \w+ \S+ answer/i, 'dns'],
  [/TLS handshake/i, 'tls'],
  [/no connection to|connection timed out|waiting for a connection/i, 'connect'],
  [/response body|body stalled/i, 'transfer'],
  [/response headers|did not answer|waiting for (the|an) answer/i, 'processing'],
];

/** Latency before the failure this many times the earlier latency: the server was slowing down. */
const SLOWDOWN_FACTOR = 2;

export const timeoutRule: RuleFn = (check) => {
  const failure = currentFailure(check);
  if (failure?.reason !== 'timeout') return undefined;
  const phase = stalledPhase(failure);
  const endpoint = endpointOf(check.target) ?? 'the target';
  const slowdown = slowdownBefore(check);
  const run = failingRun(check);
  const reading = readingOf(phase, endpoint, check, slowdown);
  return {
    rule: 'timeout',
    summary: `${endpoint} times out in the ${phase} phase`,
    probableCause: `Likely ${reading}, because the probe stalled in the ${phase} phase (${quotePhases(failure)}).`,
    evidence: present(
      describeRun(check, run),
      `the last timeout stalled in the ${phase} phase; phase times: ${quotePhases(failure)}`,
      slowdown,
      describeLastHealthy(check),
    ),
    recommendations: nextSteps(phase, check),
    confidence: run.length >= 2 ? 'medium' : 'low',
  } satisfies Finding;
};

function stalledPhase(failure: ResultEvidence): StalledPhase {
  const named = PHASE_WORDS.find(([pattern]) => pattern.test(failure.message))?.[1];
  if (named !== undefined) return named;
  const longest = Object.entries(failure.phases).sort((a, b) => b[1] - a[1])[0]?.[0];
  return (longest as StalledPhase | undefined) ?? 'processing';
}

function quotePhases(result: ResultEvidence): string {
  const phases = Object.entries(result.phases).map(([phase, ms]) => `${phase} ${formatMs(ms)}`);
  return phases.length === 0 ? `no phase completed in ${formatMs(result.durationMs)}` : phases.join(', ');
}

/** "latency rose from 40 ms to 400 ms over the results before the failure", when it did. */
function slowdownBefore(check: CheckEvidence): string | undefined {
  const passing = beforeFailure(check).filter((result) => result.status !== 'down');
  if (passing.length < 6) return undefined;
  const early = median(passing.slice(0, Math.floor(passing.length / 2)).map((result) => result.durationMs));
  const late = median(passing.slice(-3).map((result) => result.durationMs));
  if (late < early * SLOWDOWN_FACTOR) return undefined;
  return `before failing, latency rose from a median of ${formatMs(early)} to ${formatMs(late)} (last 3 results)`;
}

function readingOf(phase: StalledPhase, endpoint: string, check: CheckEvidence, slowdown?: string): string {
  const resolver = check.target?.resolver ?? "the prober's resolver";
  switch (phase) {
    case 'dns':
      return `a network problem or an overloaded resolver: ${resolver} did not answer in time`;
    case 'connect':
      return `a network problem or a dead host: connection attempts to ${endpoint} get no answer (host down, firewall or route dropping packets)`;
    case 'tls':
      return `an overloaded or hung TLS endpoint: ${endpoint} accepts the connection but does not finish the handshake`;
    case 'transfer':
      return `an overloaded server or a congested network: ${endpoint} starts answering but the body stalls`;
    case 'processing':
      return slowdown === undefined
        ? `a hung service or a dead upstream: ${endpoint} accepts the request but does not answer, without slowing down first`
        : `overload: ${endpoint} accepts the request but does not answer, after slowing down`;
  }
}

function nextSteps(phase: StalledPhase, check: CheckEvidence): string[] {
  const target = check.target;
  const host = target?.host;
  const port = target?.port;
  const probe =
    target?.url !== undefined
      ? `curl -sv -o /dev/null -w 'dns %{time_namelookup} connect %{time_connect} tls %{time_appconnect} first byte %{time_starttransfer}\\n' ${shellWord(target.url)}`
      : host !== undefined && port !== undefined
        ? `nc -vz -w 5 ${host} ${port}`
        : undefined;
  const byPhase: Record<StalledPhase, Array<string | undefined>> = {
    dns: [digCommand(target?.dnsName ?? host ?? 'NAME', target?.recordType ?? 'A', target?.resolver)],
    connect: [
      host !== undefined && port !== undefined ? `nc -vz -w 5 ${host} ${port}` : undefined,
      host !== undefined && port !== undefined ? `traceroute -T -p ${port} ${host}` : undefined,
      'Check firewall and security-group changes on the path, and whether the host is up.',
    ],
    tls: [
      host !== undefined && port !== undefined
        ? `openssl s_client -connect ${host}:${port} -servername ${target?.serverName ?? host} </dev/null`
        : undefined,
      'Check the load and worker limits of the TLS terminator (proxy, load balancer).',
    ],
    processing: [
      "Check the service's load (CPU, workers, queue depth) and whether a dependency it calls stopped answering.",
    ],
    transfer: ["Check bandwidth and the service's load while it streams the response."],
  };
  return [...new Set([probe, ...byPhase[phase]].filter((step): step is string => step !== undefined))];
}
