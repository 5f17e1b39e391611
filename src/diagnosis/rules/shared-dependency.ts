// Several checks failing together: when other checks down now share something with this one (the same endpoint,
// host, DNS name or resolver; or the same service or component, when several do), the shared thing is the likely
// fault rather than each service on its own. Names the most specific thing they share and what to test on it. When
// checks that share it too are healthy, it evidently works for them: the finding says so, at low confidence.

import type { CheckEvidence, CoFailingCheck, Finding, HealthySharingCheck } from '../../model/diagnosis.js';
import { INFRASTRUCTURE, TRAIT_KINDS, traitKind, traitValue, type TraitKind } from '../evidence/shared-traits.js';
import { digCommand } from './dns.js';
import { currentFailure, plural, shellWord } from './facts.js';
import type { RuleFn } from './rule.js';

/** Co-failing checks named in an evidence item at most (infrastructure: one other check sharing it is enough). */
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
  const healthy = (check.healthySharing ?? []).filter((other) => other.shared.includes(trait));
  if (healthy.length > 0) return workingForOthers(check, { kind, value, sharing, healthy, named: named + more });
  return {
    rule: 'shared_dependency',
    summary: `${total} checks sharing ${WORDS[kind]} ${value} are down together`,
    probableCause:
      `Likely a fault of the shared ${WORDS[kind]} ${value} rather than of ${check.checkId} alone, because ` +
      `${plural(sharing.length, 'other check')} that ${sharing.length === 1 ? 'depends on it is' : 'depend on it are'} down at the same time.`,
    evidence: [
      `${plural(sharing.length, 'other check')} down now ${sharing.length === 1 ? 'shares' : 'share'} ${WORDS[kind]} ${value} with ${check.checkId}: ${named}${more}`,
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

interface Shared {
  kind: TraitKind;
  value: string;
  sharing: readonly CoFailingCheck[];
  healthy: readonly HealthySharingCheck[];
  /** The co-failing checks as the evidence names them. */
  named: string;
}

/**
 * Checks failing together on something other checks use without failing: the shared thing works, at least for them,
 * so what the failing checks have in common beyond it (the paths they test, a backend of theirs) is as likely.
 */
function workingForOthers(check: CheckEvidence, { kind, value, sharing, healthy, named }: Shared): Finding {
  const passing = healthy
    .slice(0, NAMED)
    .map((other) => other.checkId)
    .join(', ');
  const more = healthy.length > NAMED ? ` and ${healthy.length - NAMED} more` : '';
  return {
    rule: 'shared_dependency',
    summary: `${sharing.length + 1} checks sharing ${WORDS[kind]} ${value} are down, while ${plural(healthy.length, 'check')} using it ${healthy.length === 1 ? 'passes' : 'pass'}`,
    probableCause:
      `Possibly a partial fault of ${WORDS[kind]} ${value}, but ${plural(healthy.length, 'check')} using it ${healthy.length === 1 ? 'passes' : 'pass'}: ` +
      `more likely something the failing checks share beyond it (the application or backend behind what they test).`,
    evidence: [
      `${plural(sharing.length, 'other check')} down now ${sharing.length === 1 ? 'shares' : 'share'} ${WORDS[kind]} ${value} with ${check.checkId}: ${named}`,
      `${plural(healthy.length, 'check')} sharing it ${healthy.length === 1 ? 'has' : 'have'} no open incident: ${passing}${more}`,
    ],
    recommendations: [
      `Compare what ${check.checkId} and the other failing checks test with what ${passing} test${healthy.length === 1 ? 's' : ''}: the difference is where to look.`,
      ...(check.target?.url === undefined ? [] : [`curl -sv ${shellWord(check.target.url)}`]),
    ],
    confidence: 'low',
  };
}

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
