// The one write path of the alert stores: read the alert a planner decides on, let it plan, enrich what it writes,
// then write the rows and the events, and last, per notification, the group's new state and the outbox jobs. It is written once, as a generator that yields each database
// operation it needs and is handed back the answer; a backend's dialect only says how to run one operation and how
// to run a whole loop in a transaction. SQLite runs it synchronously (better-sqlite3's transaction function must not
// await: another request would run inside the transaction), PostgreSQL with an await per operation.

import type { GroupState, PlannedNotification } from '../model/delivery.js';
import { type AlertColumn, type AlertRow, alertFromRow, alertRow, changedColumns } from './alert-rows.js';
import {
  type AlertChange,
  type AlertEvent,
  type AlertRecord,
  type AlertState,
  type IncomingAlert,
  type IncomingNotification,
  type NewAlertEvent,
  isOpen,
} from '../model/alert.js';
import type {
  AlertStore,
  AlertWriteObserver,
  AppliedChange,
  AppliedNotification,
  CheckFound,
  IngestEnrichment,
  IngestPlanners,
} from './alert-store.js';

/** One database operation of the write loop; `AlertAnswers` says what each is answered with. */
export type AlertOperation =
  /**
   * Before anything is read: no other transaction may decide on these alerts' fingerprints, nor on these groups,
   * until this one ends.
   */
  | { kind: 'lockFingerprints'; alerts: readonly IncomingAlert[]; groupKeys: readonly string[] }
  /** The newest alert of a fingerprint (the open one when there is one), locked for the transaction. */
  | { kind: 'latest'; fingerprint: string }
  | { kind: 'byId'; id: string }
  /** Distinct checks (or fingerprints, without a check label) with an open alert of this name, up to `cap`. */
  | { kind: 'affectedChecks'; alertname: string; cap: number }
  /** Whether the check already has an open alert of the name. */
  | { kind: 'checkOpen'; alertname: string; check: string }
  /** A row the transaction has not read: inserted, or replaced whole. */
  | { kind: 'upsert'; row: AlertRow }
  /** A row the transaction read: only the columns that changed are set. */
  | { kind: 'update'; row: AlertRow; columns: readonly AlertColumn[] }
  | { kind: 'insertEvent'; event: NewAlertEvent }
  /** The group as last notified. */
  | { kind: 'groupState'; groupKey: string }
  /** Inserted, or replaced whole. */
  | { kind: 'saveGroup'; group: GroupState }
  /** The notification, its links to the alerts it lists, and one outbox job per destination. */
  | { kind: 'enqueue'; planned: PlannedNotification; acceptedAt: number };

/** Rows are answered as `alertRow` writes them, so comparing them with a planned row finds only real changes. */
export interface AlertAnswers {
  lockFingerprints: void;
  latest: AlertRow | undefined;
  byId: AlertRow | undefined;
  affectedChecks: number;
  checkOpen: boolean;
  upsert: void;
  update: void;
  /** The new event's id. */
  insertEvent: number;
  groupState: GroupState | undefined;
  saveGroup: void;
  enqueue: void;
}

type OperationOf<Kind extends AlertOperation['kind']> = Extract<AlertOperation, { kind: Kind }>;

/** How a backend answers each operation, synchronously. */
export type SyncOperations = {
  [Kind in AlertOperation['kind']]: (operation: OperationOf<Kind>) => AlertAnswers[Kind];
};

/** How a backend answers each operation, asynchronously. */
export type AsyncOperations = {
  [Kind in AlertOperation['kind']]: (operation: OperationOf<Kind>) => Promise<AlertAnswers[Kind]>;
};

export type AlertWriteLoop<T> = Generator<AlertOperation, T, unknown>;

/**
 * A backend: runs a whole loop in one transaction, rolled back when anything in it throws. A synchronous backend
 * returns (or throws) before any other request runs.
 */
export interface AlertWriteDialect {
  transaction<T>(loop: AlertWriteLoop<T>): T | Promise<T>;
}

/**
 * The writing half of every alert store: ingest and change run the shared loop on the backend's dialect. A store
 * extends it and adds its reads.
 */
export abstract class AlertWrites implements Pick<AlertStore, 'ingest' | 'change' | 'changeEach'> {
  constructor(private readonly dialect: AlertWriteDialect) {}

  ingest<Outcome extends string>(
    notifications: readonly IncomingNotification[],
    planners: IngestPlanners<Outcome>,
  ): Promise<Array<AppliedNotification<Outcome>>> {
    return observed(planners.enrichment, () => this.dialect.transaction(ingestLoop(notifications, planners)));
  }

  change<Outcome extends string>(
    id: string,
    plan: (current: AlertRecord) => AlertChange<Outcome>,
    observer?: AlertWriteObserver,
  ): Promise<AppliedChange<Outcome> | undefined> {
    return observed(observer, () => this.dialect.transaction(changeLoop(id, plan, observer)));
  }

  async changeEach<Outcome extends string>(
    changes: ReadonlyArray<{ id: string; plan: (current: AlertRecord) => AlertChange<Outcome> }>,
  ): Promise<Array<AppliedChange<Outcome> | undefined>> {
    if (changes.length === 0) return [];
    return this.dialect.transaction(changeEachLoop(changes));
  }
}

/** Runs a loop to its end, answering each operation at once: inside a synchronous transaction. */
export function runSync<T>(loop: AlertWriteLoop<T>, operations: SyncOperations): T {
  let step = loop.next();
  while (step.done !== true) step = loop.next(answer(operations, step.value));
  return step.value;
}

/** Runs a loop to its end, awaiting each answer. */
export async function runAsync<T>(loop: AlertWriteLoop<T>, operations: AsyncOperations): Promise<T> {
  let step = loop.next();
  while (step.done !== true) step = loop.next(await answer(operations, step.value));
  return step.value;
}

function answer(operations: SyncOperations | AsyncOperations, operation: AlertOperation): unknown {
  const run = operations[operation.kind] as (operation: AlertOperation) => unknown;
  return run(operation);
}

/** After a failed transaction the observer forgets what it learnt in it (none of it was stored), before anything else runs. */
async function observed<T>(observer: AlertWriteObserver | undefined, transaction: () => T | Promise<T>): Promise<T> {
  try {
    return await transaction();
  } catch (error) {
    observer?.forgetAll();
    throw error;
  }
}

function* ingestLoop<Outcome extends string>(
  notifications: readonly IncomingNotification[],
  planners: IngestPlanners<Outcome>,
): AlertWriteLoop<Array<AppliedNotification<Outcome>>> {
  const { alert: plan, enrichment } = planners;
  yield {
    kind: 'lockFingerprints',
    alerts: notifications.flatMap((notification) => notification.alerts),
    groupKeys: planners.notification === undefined ? [] : groupKeysOf(notifications),
  };
  const applied: Array<AppliedNotification<Outcome>> = [];
  for (const { group, alerts } of notifications) {
    const changes: Array<AppliedChange<Outcome>> = [];
    const standing: AlertRecord[] = [];
    for (const alert of alerts) {
      const before = (yield { kind: 'latest', fingerprint: alert.fingerprint }) as AlertAnswers['latest'];
      const latest = before === undefined ? undefined : alertFromRow(before);
      let change = plan(latest, alert);
      if (enrichment !== undefined) change = yield* enriched(change, enrichment);
      changes.push(yield* written(change, before, enrichment));
      const now = change.writes.at(-1) ?? latest;
      if (now !== undefined) standing.push(now);
    }
    const notified: AppliedNotification<Outcome> = { changes };
    if (planners.notification !== undefined && group.groupKey !== undefined) {
      const stored = (yield { kind: 'groupState', groupKey: group.groupKey }) as AlertAnswers['groupState'];
      const plan = planners.notification(stored, group, standing);
      if (plan !== undefined) {
        yield { kind: 'saveGroup', group: plan.group };
        if (plan.send !== undefined) yield { kind: 'enqueue', planned: plan.send, acceptedAt: group.receivedAt };
        notified.plan = plan;
      }
    }
    applied.push(notified);
  }
  return applied;
}

/** Sorted and distinct: locks taken in one order everywhere cannot deadlock. */
function groupKeysOf(notifications: readonly IncomingNotification[]): string[] {
  const keys = new Set<string>();
  for (const { group } of notifications) if (group.groupKey !== undefined) keys.add(group.groupKey);
  return [...keys].sort();
}

function* changeLoop<Outcome extends string>(
  id: string,
  plan: (current: AlertRecord) => AlertChange<Outcome>,
  observer: AlertWriteObserver | undefined,
): AlertWriteLoop<AppliedChange<Outcome> | undefined> {
  const before = (yield { kind: 'byId', id }) as AlertAnswers['byId'];
  if (before === undefined) return undefined;
  return yield* written(plan(alertFromRow(before)), before, observer);
}

function* changeEachLoop<Outcome extends string>(
  changes: ReadonlyArray<{ id: string; plan: (current: AlertRecord) => AlertChange<Outcome> }>,
): AlertWriteLoop<Array<AppliedChange<Outcome> | undefined>> {
  const applied: Array<AppliedChange<Outcome> | undefined> = [];
  for (const { id, plan } of changes) applied.push(yield* changeLoop(id, plan, undefined));
  return applied;
}

/** The change with the alerts it writes without an enrichment enriched, from what the transaction sees. */
function* enriched<Outcome extends string>(
  change: AlertChange<Outcome>,
  enrichment: IngestEnrichment,
): AlertWriteLoop<AlertChange<Outcome>> {
  const lookups = enrichment.lookups(change);
  if (lookups.length === 0) return change;
  const found: CheckFound[] = [];
  for (const { name, check, countUpTo } of lookups) {
    const checkOpen = (yield { kind: 'checkOpen', alertname: name, check }) as AlertAnswers['checkOpen'];
    if (countUpTo === undefined) {
      found.push({ checkOpen });
      continue;
    }
    const count = (yield { kind: 'affectedChecks', alertname: name, cap: countUpTo }) as AlertAnswers['affectedChecks'];
    found.push({ count, checkOpen });
  }
  return enrichment.enrich(change, lookups, found);
}

/** Writes a planned change; `before` is the row the planner saw, so rewriting it only sets what changed. */
function* written<Outcome extends string>(
  change: AlertChange<Outcome>,
  before: AlertRow | undefined,
  observer: AlertWriteObserver | undefined,
): AlertWriteLoop<AppliedChange<Outcome>> {
  for (const alert of change.writes) {
    const row = alertRow(alert);
    if (before?.id !== row.id) {
      yield { kind: 'upsert', row };
      continue;
    }
    observer?.rewritten(alert, isOpen(before.state as AlertState));
    const columns = changedColumns(before, row);
    if (columns.length > 0) yield { kind: 'update', row, columns };
  }
  const events: AlertEvent[] = [];
  for (const event of change.events) {
    const id = (yield { kind: 'insertEvent', event }) as AlertAnswers['insertEvent'];
    events.push({ id, ...event });
  }
  return { outcome: change.outcome, alerts: change.writes, events };
}
