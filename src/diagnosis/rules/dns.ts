// DNS resolution failure: which name, which resolver, and what kind of failure (the name does not exist, the
// server failed or refused, no record of the type, the answers changed). Timeouts of the DNS phase are the timeout
// rule's; this one reads the `dns` reason, and a dns check's missing expected answers.

import type { Finding } from '../../model/diagnosis.js';
import { currentFailure, describeLastHealthy, describeRun, failingRun, present, shellWord } from './facts.js';
import type { RuleFn } from './rule.js';

interface DnsFault {
  what: string;
  cause: string;
  next: (name: string) => string[];
}

const FAULTS: ReadonlyArray<readonly [RegExp, DnsFault]> = [
  [
    /NXDOMAIN|no such host|does not exist/i,
    {
      what: 'the name does not exist (NXDOMAIN)',
      cause: 'the record or its zone was removed, renamed or not (yet) published',
      next: (name) => [`Check recent changes to the zone of ${name} (deleted or renamed record, expired domain).`],
    },
  ],
  [
    /SERVFAIL|EAI_FAIL|server failed/i,
    {
      what: 'the name server failed to answer (SERVFAIL)',
      cause: 'the authoritative servers are unreachable or DNSSEC validation fails',
      next: (name) => [`dig +trace ${shellWord(name)} and dig +dnssec ${shellWord(name)} to see which server fails`],
    },
  ],
  [
    /REFUSED|connection refused/i,
    {
      what: 'the resolver refused the query or is not listening',
      cause: 'the resolver is down or no longer serves this client',
      next: () => ['Check that the resolver runs and allows queries from the prober (ACLs, recursion settings).'],
    },
  ],
  [
    /no such records|no address records|ENODATA|missing/i,
    {
      what: 'the name exists but does not have the expected records',
      cause: 'the record set changed (removed, or answers different from those expected)',
      next: (name) => [`Compare the answers for ${name} with the expected ones and the zone's recent changes.`],
    },
  ],
];

const FALLBACK: DnsFault = {
  what: 'the lookup failed',
  cause: 'the resolver could not resolve the name',
  next: () => [],
};

export const dnsRule: RuleFn = (check) => {
  const failure = currentFailure(check);
  if (failure === undefined) return undefined;
  const dnsCheckAnswers = check.target?.type === 'dns' && failure.reason === 'body';
  if (failure.reason !== 'dns' && !dnsCheckAnswers) return undefined;
  const name = check.target?.dnsName ?? check.target?.host ?? /for (\S+)/.exec(failure.message)?.[1] ?? 'the name';
  const recordType = check.target?.recordType ?? 'A';
  const resolver = check.target?.resolver;
  const fault = FAULTS.find(([pattern]) => pattern.test(failure.message))?.[1] ?? FALLBACK;
  const by = resolver === undefined ? "the prober's system resolver" : `resolver ${resolver}`;
  const run = failingRun(check);
  return {
    rule: 'dns',
    summary: `DNS resolution of ${name} fails: ${fault.what}`,
    probableCause: `Likely a DNS problem with ${name}: ${fault.what} when asked through ${by}, so ${fault.cause}.`,
    evidence: present(
      describeRun(check, run),
      `name ${name} (${recordType}) asked through ${by}`,
      describeLastHealthy(check),
    ),
    recommendations: [
      digCommand(name, recordType, resolver),
      ...(resolver === undefined ? [] : [`dig ${shellWord(name)} ${recordType} (the system resolver, to compare)`]),
      ...fault.next(name),
    ],
    confidence: run.length >= 2 ? 'high' : 'medium',
  } satisfies Finding;
};

/** `dig @10.0.0.53 -p 5353 api.example.com A`: the query the probe made, by hand. */
export function digCommand(name: string, recordType: string, resolver: string | undefined): string {
  if (resolver === undefined) return `dig ${shellWord(name)} ${recordType}`;
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(resolver);
  const host = match?.[1] ?? resolver;
  const port = match?.[2];
  return `dig @${host}${port !== undefined && port !== '53' ? ` -p ${port}` : ''} ${shellWord(name)} ${recordType}`;
}
