// status-page.yml: its cross-references (check ids from checks.yml, tiers, unique component ids) and the normalised
// page, which without a file (or without `components:`) shows one public component per check group.

import { DEFAULT_STATUS_PAGE_WINDOWS } from '../model/sla-window.js';
import { isMapping } from './check-entries.js';
import { childPointer } from './pointer.js';
import type { RawStatusPageFile } from './schema/status-page.js';
import type { ConfigProblem, StatusPageComponent, StatusPageSettings } from './types.js';
import type { CheckDefinition } from '../model/check.js';
import type { ConfigDocument } from './yaml-document.js';

const CHECKS_FILE = 'checks.yml';

/** `checkIds` is undefined when checks.yml could not be read, so references cannot be judged. */
export function statusPageRules(document: ConfigDocument, checkIds: ReadonlySet<string> | undefined): ConfigProblem[] {
  const root = isMapping(document.value) ? document.value : {};
  const components = Array.isArray(root['components']) ? root['components'] : [];
  const tiers = isMapping(root['tiers']) ? Object.keys(root['tiers']) : [];
  const firstId = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  components.forEach((component: unknown, index) => {
    if (!isMapping(component)) return;
    const pointer = childPointer('/components', index);
    const id = component['id'];
    if (typeof id === 'string') {
      const earlier = firstId.get(id);
      if (earlier === undefined) firstId.set(id, childPointer(pointer, 'id'));
      else {
        const message = `duplicate component id \`${id}\` (first defined at ${document.where(earlier)})`;
        problems.push(document.problem(childPointer(pointer, 'id'), message));
      }
    }
    if (checkIds) problems.push(...unknownChecks(document, pointer, component['checks'], checkIds));
    const tier = component['tier'];
    if (typeof tier === 'string' && !tiers.includes(tier)) {
      const known = tiers.length > 0 ? `defined tiers: ${tiers.join(', ')}` : 'no `tiers:` are defined';
      problems.push(document.problem(childPointer(pointer, 'tier'), `unknown tier \`${tier}\` (${known})`));
    }
  });
  return problems;
}

function unknownChecks(
  document: ConfigDocument,
  componentPointer: string,
  checks: unknown,
  known: ReadonlySet<string>,
): ConfigProblem[] {
  if (!Array.isArray(checks)) return [];
  return checks.flatMap((id: unknown, index) => {
    if (typeof id !== 'string' || known.has(id)) return [];
    const pointer = childPointer(childPointer(componentPointer, 'checks'), index);
    return [document.problem(pointer, `unknown check id \`${id}\` (not defined in ${CHECKS_FILE})`)];
  });
}

export function normalizeStatusPage(raw: RawStatusPageFile, checks: readonly CheckDefinition[]): StatusPageSettings {
  return {
    title: raw.title ?? 'Service status',
    ...(raw.description === undefined ? {} : { description: raw.description }),
    components: raw.components ? raw.components.map(component) : componentPerGroup(checks),
    periods: raw.periods ?? [...DEFAULT_STATUS_PAGE_WINDOWS],
    tiers: { ...raw.tiers },
    ...(raw.raw_messages === undefined ? {} : { rawMessages: raw.raw_messages }),
  };
}

function component(raw: NonNullable<RawStatusPageFile['components']>[number]): StatusPageComponent {
  return {
    id: raw.id,
    name: raw.name ?? raw.id,
    ...(raw.description === undefined ? {} : { description: raw.description }),
    checks: raw.checks,
    public: raw.public ?? true,
    ...(raw.tier === undefined ? {} : { tier: raw.tier }),
  };
}

function componentPerGroup(checks: readonly CheckDefinition[]): StatusPageComponent[] {
  const byGroup = new Map<string, string[]>();
  for (const check of checks) byGroup.set(check.group, [...(byGroup.get(check.group) ?? []), check.id]);
  return [...byGroup].map(([group, ids]) => ({ id: group, name: group, checks: ids, public: true }));
}
