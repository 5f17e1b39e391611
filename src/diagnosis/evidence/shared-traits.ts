// What two checks have in common that one fault could break for both: the same endpoint (host:port), host, DNS
// name, resolver, service or component. Written `kind=value` (`host=db.internal`), most specific first, because the
// shared_dependency rule names the first one a group of failing checks shares.

import type { CheckDefinition } from '../../model/check.js';
import type { CheckTarget } from '../../model/diagnosis.js';
import { checkTarget, endpointOf } from './check-target.js';

/** The kinds of trait, most specific first. */
export const TRAIT_KINDS = ['endpoint', 'host', 'dns_name', 'resolver', 'service', 'component'] as const;
export type TraitKind = (typeof TRAIT_KINDS)[number];
/** Traits of infrastructure, which one fault can break for every check that has it. */
export const INFRASTRUCTURE: ReadonlySet<TraitKind> = new Set(['endpoint', 'host', 'dns_name', 'resolver']);

export interface CheckTraits {
  check: Pick<CheckDefinition, 'service' | 'component'>;
  target: CheckTarget;
}

/** Every trait of one check, as `kind=value` strings. */
export function traitsOf({ check, target }: CheckTraits): string[] {
  const traits: string[] = [];
  const endpoint = endpointOf(target);
  if (endpoint !== undefined && target.port !== undefined) traits.push(`endpoint=${endpoint}`);
  if (target.host !== undefined) traits.push(`host=${target.host}`);
  const name = target.dnsName ?? (target.host !== undefined && !isAddress(target.host) ? target.host : undefined);
  if (name !== undefined) traits.push(`dns_name=${name.toLowerCase()}`);
  if (target.resolver !== undefined) traits.push(`resolver=${target.resolver}`);
  if (check.service !== '') traits.push(`service=${check.service}`);
  if (check.component !== '') traits.push(`component=${check.component}`);
  return traits;
}

/** The checks having each infrastructure trait, per loaded list of checks (a reload loads a new list). */
const byInfrastructure = new WeakMap<readonly CheckDefinition[], ReadonlyMap<string, readonly CheckDefinition[]>>();

/** Which checks have each infrastructure trait: built once per list, so that a diagnosis does not read every check. */
export function checksByInfrastructure(
  checks: readonly CheckDefinition[],
): ReadonlyMap<string, readonly CheckDefinition[]> {
  let index = byInfrastructure.get(checks);
  if (index === undefined) {
    const built = new Map<string, CheckDefinition[]>();
    for (const check of checks) {
      for (const trait of traitsOf({ check, target: checkTarget(check) })) {
        if (INFRASTRUCTURE.has(traitKind(trait))) built.set(trait, [...(built.get(trait) ?? []), check]);
      }
    }
    index = built;
    byInfrastructure.set(checks, index);
  }
  return index;
}

/** The traits of `other` that `own` has too, most specific first. */
export function sharedTraits(own: readonly string[], other: readonly string[]): string[] {
  const mine = new Set(own);
  return other.filter((trait) => mine.has(trait));
}

export function traitKind(trait: string): TraitKind {
  return trait.slice(0, trait.indexOf('=')) as TraitKind;
}

export function traitValue(trait: string): string {
  return trait.slice(trait.indexOf('=') + 1);
}

function isAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
