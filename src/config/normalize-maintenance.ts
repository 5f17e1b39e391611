// config.yml `maintenance:` and `retention:`: the maintenance rules a schema cannot express (dates, cron expressions
// and time zones through windowProblems, unique ids, references into checks.yml) and the normalised windows and
// retention periods.

import { windowProblems } from '../maintenance/validate.js';
import type { MaintenanceScope, MaintenanceWindow } from '../model/maintenance.js';
import type { Retention } from '../model/retention.js';
import { checkEntries, isMapping, type Mapping } from './check-entries.js';
import { parseDuration } from './duration.js';
import { childPointer } from './pointer.js';
import type { RawConfigFile } from './schema/config.js';
import { RETENTION_DEFAULTS } from './schema/settings/retention.js';
import type { ConfigProblem } from './types.js';
import type { ConfigDocument } from './yaml-document.js';

const CHECKS_FILE = 'checks.yml';
const DEFAULT_TIME_ZONE = 'UTC';

/** What checks.yml defines that a window may name. */
export interface MaintenanceReferences {
  checks: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  components: ReadonlySet<string>;
}

const SCOPES = [
  { key: 'checks', words: 'check id' },
  { key: 'groups', words: 'check group' },
  { key: 'components', words: 'component' },
] as const;

/** Check ids, groups and components of checks.yml data (which may not have passed its schema). */
export function maintenanceReferences(checksRoot: unknown): MaintenanceReferences {
  const references = { checks: new Set<string>(), groups: new Set<string>(), components: new Set<string>() };
  for (const entry of checkEntries(checksRoot)) {
    const id = entry.data['id'];
    if (typeof id === 'string') references.checks.add(id);
    references.groups.add(entry.groupName);
    const component = [entry.data['component'], entry.group?.data['component'], entry.groupName].find(
      (value) => typeof value === 'string',
    );
    if (typeof component === 'string') references.components.add(component);
  }
  return references;
}

/** `references` is undefined when checks.yml could not be read, so references cannot be judged. */
export function maintenanceRules(
  document: ConfigDocument,
  references: MaintenanceReferences | undefined,
): ConfigProblem[] {
  const root = isMapping(document.value) ? document.value : {};
  const windows = Array.isArray(root['maintenance']) ? root['maintenance'] : [];
  const firstId = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  windows.forEach((window: unknown, index) => {
    if (!isMapping(window)) return;
    const pointer = childPointer('/maintenance', index);
    problems.push(...duplicateId(document, pointer, window, firstId));
    problems.push(...timeProblems(document, pointer, window));
    if (references) problems.push(...unknownReferences(document, pointer, window, references));
  });
  return problems;
}

function duplicateId(
  document: ConfigDocument,
  pointer: string,
  window: Mapping,
  firstId: Map<string, string>,
): ConfigProblem[] {
  const id = window['id'];
  if (typeof id !== 'string') return [];
  const idPointer = childPointer(pointer, 'id');
  const earlier = firstId.get(id);
  if (earlier === undefined) {
    firstId.set(id, idPointer);
    return [];
  }
  const message = `duplicate maintenance window id \`${id}\` (first defined at ${document.where(earlier)})`;
  return [document.problem(idPointer, message)];
}

// The schema judges ids, durations, types and which keys go together; windowProblems the values only it understands.
const JUDGED_BY_WINDOW_PROBLEMS = new Set(['start', 'end', 'cron', 'timezone']);

function timeProblems(document: ConfigDocument, pointer: string, window: Mapping): ConfigProblem[] {
  const candidate = windowCandidate(window);
  if (!candidate) return [];
  return windowProblems(candidate)
    .filter((problem) => JUDGED_BY_WINDOW_PROBLEMS.has(problem.field) && typeof window[problem.field] === 'string')
    .map((problem) => document.problem(childPointer(pointer, problem.field), problem.message));
}

/** The window as windowProblems takes it, from data that may not have passed the schema; undefined if no kind fits. */
function windowCandidate(window: Mapping): MaintenanceWindow | undefined {
  const text = (key: string): string => (typeof window[key] === 'string' ? window[key] : '');
  if (typeof window['cron'] === 'string') {
    // The duration is the schema's to judge; a stand-in keeps windowProblems on the other fields.
    const timezone = typeof window['timezone'] === 'string' ? window['timezone'] : DEFAULT_TIME_ZONE;
    return { kind: 'recurring', id: text('id'), cron: window['cron'], durationMs: 1, timezone, scope: {} };
  }
  if (typeof window['start'] === 'string' || typeof window['end'] === 'string') {
    return { kind: 'one-off', id: text('id'), start: text('start'), end: text('end'), scope: {} };
  }
  return undefined;
}

function unknownReferences(
  document: ConfigDocument,
  pointer: string,
  window: Mapping,
  references: MaintenanceReferences,
): ConfigProblem[] {
  return SCOPES.flatMap(({ key, words }) => {
    const names = window[key];
    if (!Array.isArray(names)) return [];
    return names.flatMap((name: unknown, index) => {
      if (typeof name !== 'string' || name === '' || references[key].has(name)) return [];
      const message = `unknown ${words} \`${name}\` (not defined in ${CHECKS_FILE})`;
      return [document.problem(childPointer(childPointer(pointer, key), index), message)];
    });
  });
}

type RawWindow = NonNullable<RawConfigFile['maintenance']>[number];

export function normalizeMaintenance(raw: readonly RawWindow[] = []): MaintenanceWindow[] {
  return raw.map((window) => {
    const common = {
      id: window.id,
      scope: scope(window),
      ...(window.description === undefined ? {} : { description: window.description }),
    };
    if (window.cron === undefined) {
      if (window.start === undefined || window.end === undefined) {
        throw new Error(`maintenance window ${window.id} passed validation without start and end`);
      }
      return { kind: 'one-off', ...common, start: window.start, end: window.end };
    }
    return {
      kind: 'recurring',
      ...common,
      cron: window.cron,
      durationMs: requiredDuration(window.duration, `maintenance window ${window.id}`),
      timezone: window.timezone ?? DEFAULT_TIME_ZONE,
    };
  });
}

function scope(window: RawWindow): MaintenanceScope {
  return {
    ...(window.checks === undefined ? {} : { checks: window.checks }),
    ...(window.groups === undefined ? {} : { groups: window.groups }),
    ...(window.components === undefined ? {} : { components: window.components }),
  };
}

export function normalizeRetention(raw: RawConfigFile['retention'] = {}): Retention {
  const kept = (key: keyof typeof RETENTION_DEFAULTS): number =>
    requiredDuration(raw[key] ?? RETENTION_DEFAULTS[key], `retention.${key}`);
  return {
    resultsMs: kept('results'),
    incidentsMs: kept('incidents'),
    alertsMs: kept('alerts'),
    hourlyRollupsMs: kept('hourly_rollups'),
  };
}

function requiredDuration(text: string | undefined, what: string): number {
  const ms = text === undefined ? undefined : parseDuration(text);
  if (ms === undefined) throw new Error(`${what} passed validation without a valid duration`);
  return ms;
}
