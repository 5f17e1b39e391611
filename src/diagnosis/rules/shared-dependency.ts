// Several checks failing together: when other checks down now share something with this one (the same endpoint,
// host, DNS name or resolver; or the same service or component, when several do), the shared thing is the likely
// fault rather than each service on its own. Names the most specific thing they share and what to test on it.

import type { CheckEvidence, CoFailingCheck, Finding } from '../../model/diagnosis.js';
import { TRAIT_KINDS, traitKind, traitValue, type TraitKind } from '../evidence/shared-traits.js';
import { digCommand } from './dns.js';
import { currentFailure, plural, shellWord } from './facts.js';
import type { RuleFn } from './rule.js';

/** Traits of infrastructure: one other check sharing it is enough; a service or component needs two. */
const INFRASTRUCTURE: ReadonlySet<TraitKind> = new Set(['endpoint', 'host', 'dns_name', 'resolver']);
/** Co-failing checks named in an evidence item at most. */
const NAMED = 8;

const WORDS: Readonly<Record<TraitKind, string>> = {
  endpoint: 'endpoint',
  host: 'host',
  dns_name: 'DNS name',
  resolver: 'resolver',
  service: 'service',
  component: 'component',
};

export const sharedDependencyRule: RuleFn = (check) => {
  const open = check.incidents.some((incident) => incident.closedAt === undefined);
  if (currentFailure(check) === undefined && !open) return undefined;
  const choice = mostSpecificShared(check.coFailing);
  if (choice === undefined) return undefined;
  const { trait, sharing } = choice;
  const kind = traitKind(trait);
  const value = traitValue(trait);
  const ownReason = check.recent.at(-1)?.reason;
  const sameReason = sharing.filter((other) => other.reason !== undefined && other.reason === ownReason);
  const named = sharing
    .slice(0, NAMED)
    .map((other) => `${other.checkId}${other.reason === undefined ? '' : ` (${other.reason})`}`)
    .join(', ');
  const more = sharing.length > NAMED ? ` and ${sharing.length - NAMED} more` : '';
  const total = sharing.length + 1;
  return {
    rule: 'shared_dependency',
    summary: `${total} checks sharing ${WORDS[kind]} ${value} are down together`,
    probableCause:
      `Likely a fault of the shared ${WORDS[kind]} ${value} rather than of ${check.checkId} alone, because ` +
      `${plural(sharing.length, 'other check')} that ${sharing.length === 1 ? 'depends on it is' : 'depend on it are'} down at the same time.`,
    evidence: [
      `${plural(sharing.length, 'other check')} down now share ${WORDS[kind]} ${value} with ${check.checkId}: ${named}${more}`,
      ...(sameReason.length > 0 ? [`${sameReason.length} of them fail with the same reason (${ownReason})`] : []),
      ...(check.coFailing.length > sharing.length
        ? [`${plural(check.coFailing.length, 'other check')} down in all`]
        : []),
    ],
    recommendations: nextSteps(kind, value, check),
    // An endpoint that answers (an HTTP status) is up: what the checks share is then the application behind it,
    // which the failing checks alone cannot tell from their own paths failing.
    confidence:
      INFRASTRUCTURE.has(kind) &&
      (sharing.length >= 2 || sameReason.length >= 1) &&
      !(kind === 'endpoint' && check.recent.at(-1)?.httpStatus !== undefined)
        ? 'high'
        : 'medium',
  } satisfies Finding;
};

/** The most specific trait that enough co-failing checks share, and which checks share it. */
function mostSpecificShared(
  coFailing: readonly CoFailingCheck[],
): { trait: string; sharing: CoFailingCheck[] } | undefined {
  for (const kind of TRAIT_KINDS) {
    const byTrait = new Map<string, CoFailingCheck[]>();
    for (const other of coFailing) {
      for (const trait of other.shared) {
        if (traitKind(trait) === kind) byTrait.set(trait, [...(byTrait.get(trait) ?? []), other]);
      }
    }
    const needed = INFRASTRUCTURE.has(kind) ? 1 : 2;
    const best = [...byTrait.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))[0];
    if (best !== undefined && best[1].length >= needed) return { trait: best[0], sharing: best[1] };
  }
  return undefined;
}

function nextSteps(kind: TraitKind, value: string, check: CheckEvidence): string[] {
  switch (kind) {
    case 'endpoint': {
      const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value);
      const host = match?.[1] ?? value;
      return [
        `nc -vz ${host} ${match?.[2] ?? ''}`.trimEnd(),
        `Check the service listening on ${value} and the host ${host} itself before the individual checks.`,
      ];
    }
    case 'host':
      return [
        `ping -c 3 ${value}`,
        `Check the host ${value} (up, network, disk, load) before the individual services on it.`,
      ];
    case 'dns_name':
      return [
        digCommand(value, 'A', check.target?.resolver),
        `Check the DNS records of ${value}: every check that resolves it fails.`,
      ];
    case 'resolver':
      return [
        digCommand(check.target?.dnsName ?? check.target?.host ?? 'NAME', check.target?.recordType ?? 'A', value),
        `Check the resolver ${value} (up, reachable from the prober, upstreams answering).`,
      ];
    case 'service':
    case 'component':
      return [
        `Look for what the failing checks of ${WORDS[kind]} ${shellWord(value)} depend on together (a database, a network segment, a deploy).`,
      ];
  }
}
