// Connection failures: refused (nothing listens: the process is down or the port closed), reset or closed by the
// peer (it crashes or a proxy drops it), or no route to the host. Names host:port and what to run there.

import type { CheckEvidence, Finding } from '../../model/diagnosis.js';
import { endpointOf } from '../evidence/check-target.js';
import { currentFailure, describeLastHealthy, describeRun, failingRun, present } from './facts.js';
import type { RuleFn } from './rule.js';

interface ConnectFault {
  pattern: RegExp;
  what: string;
  cause: (endpoint: string) => string;
  next: (host: string, port: string) => string[];
}

const FAULTS: readonly ConnectFault[] = [
  {
    pattern: /refused/i,
    what: 'the connection is refused',
    cause: (endpoint) => `nothing listens on ${endpoint}: the process is down or the port is closed`,
    next: (host, port) => [
      `On ${host}: ss -ltnp 'sport = :${port}' to see whether anything listens on port ${port}`,
      `Check the process or container serving port ${port} on ${host} (crashed, stopped, restarting) and its logs.`,
    ],
  },
  {
    pattern: /reset|closed/i,
    what: 'the connection is reset or closed by the server',
    cause: (endpoint) =>
      `the service behind ${endpoint} drops connections: it crashes, restarts or a proxy cuts it off`,
    next: (host) => [`Look at the logs of the service and of any proxy or load balancer in front of it on ${host}.`],
  },
  {
    pattern: /unreachable|not available/i,
    what: 'there is no route to the host',
    cause: (endpoint) => `the network path to ${endpoint} is broken (host down, routing or firewall)`,
    next: (host, port) => [`traceroute -T -p ${port} ${host} to see where packets stop`],
  },
];

export const connectionRefusedRule: RuleFn = (check) => {
  const failure = currentFailure(check);
  if (failure?.reason !== 'connect') return undefined;
  const fault = FAULTS.find((candidate) => candidate.pattern.test(failure.message));
  if (fault === undefined) return undefined;
  const endpoint = endpointOf(check.target) ?? /(\S+:\d+)/.exec(failure.message)?.[1] ?? 'the target';
  const { host, port } = hostAndPort(check, endpoint);
  const run = failingRun(check);
  return {
    rule: 'connection_refused',
    summary: `${endpoint}: ${fault.what}`,
    probableCause: `Likely ${fault.cause(endpoint)}, because ${fault.what} (${run.length} consecutive failures).`,
    evidence: present(describeRun(check, run), describeLastHealthy(check)),
    recommendations: [`nc -vz ${host} ${port}`, ...fault.next(host, port)],
    confidence: fault.pattern.source === 'refused' && run.length >= 2 ? 'high' : 'medium',
  } satisfies Finding;
};

function hostAndPort(check: CheckEvidence, endpoint: string): { host: string; port: string } {
  const { host, port } = check.target ?? {};
  if (host !== undefined && port !== undefined) return { host, port: String(port) };
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(endpoint);
  return { host: match?.[1] ?? endpoint, port: match?.[2] ?? 'PORT' };
}
