// Walks checks.yml data check by check, with the group and defaults each check inherits from, and resolves an
// inherited setting to its value and the place it was written. Works on data that may not have passed the schema
// (the rules run alongside it), so every read is guarded.

import { childPointer } from './pointer.js';

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A mapping where inheritable settings may be written. */
interface Level {
  pointer: string;
  data: Mapping;
}

export interface CheckEntry {
  pointer: string;
  data: Mapping;
  groupName: string;
  /** The check's group mapping in `groups:`, when there is one. */
  group?: Level;
  /** Where inherited settings are looked up, nearest first: the check, its group, the defaults. */
  levels: Level[];
}

/** A setting's value and where it was written. */
export interface Written {
  value: unknown;
  pointer: string;
}

export const DEFAULT_GROUP = 'default';

export function checkEntries(root: unknown): CheckEntry[] {
  if (!isMapping(root)) return [];
  const defaults: Level[] = isMapping(root['defaults']) ? [{ pointer: '/defaults', data: root['defaults'] }] : [];
  const groups = listOf(root['groups'], '/groups');
  const entries = groups.flatMap((group) =>
    listOf(group.data['checks'], childPointer(group.pointer, 'checks')).map((check): CheckEntry => ({
      ...check,
      // A group without a usable name is already a problem; its checks still count for ids and timings.
      groupName: typeof group.data['name'] === 'string' ? group.data['name'] : '',
      group,
      levels: [check, group, ...defaults],
    })),
  );
  for (const check of listOf(root['checks'], '/checks')) {
    const groupName = typeof check.data['group'] === 'string' ? check.data['group'] : DEFAULT_GROUP;
    const group = groups.find(({ data }) => data['name'] === groupName);
    const levels = [check, ...(group ? [group] : []), ...defaults];
    entries.push({ pointer: check.pointer, data: check.data, groupName, ...(group ? { group } : {}), levels });
  }
  return entries;
}

function listOf(value: unknown, pointer: string): Level[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown, index) =>
    isMapping(item) ? [{ pointer: childPointer(pointer, index), data: item }] : [],
  );
}

/** The nearest written value of `key` (interval, timeout, failure_threshold). */
export function inherited(entry: CheckEntry, key: string): Written | undefined {
  for (const level of entry.levels) {
    if (level.data[key] !== undefined) return { value: level.data[key], pointer: childPointer(level.pointer, key) };
  }
  return undefined;
}

/** The nearest written `performance.<key>`: each threshold is inherited on its own. */
export function inheritedThreshold(entry: CheckEntry, key: string): Written | undefined {
  for (const level of entry.levels) {
    const performance = level.data['performance'];
    if (isMapping(performance) && performance[key] !== undefined) {
      return { value: performance[key], pointer: childPointer(childPointer(level.pointer, 'performance'), key) };
    }
  }
  return undefined;
}
