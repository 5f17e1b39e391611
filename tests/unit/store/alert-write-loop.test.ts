// The shared alert write loop on a dialect that keeps rows in memory and records each operation it is asked for:
// what a planned change turns into (an insert, an update of only the changed columns, events, the group's state and
// its outbox jobs), and that a failed transaction makes the enrichment forget its counts.

import { describe, expect, it } from 'vitest';
import type { IngestOutcome } from '../../../src/model/alert.js';
import { planIngest } from '../../../src/receiver/ingest/alert-state.js';
import type { AlertRow } from '../../../src/store/alert-rows.js';
import type { IncomingAlert } from '../../../src/model/alert.js';
import type { GroupState } from '../../../src/model/delivery.js';
import type { AlertWriteObserver, IngestPlanner, NotificationPlanner } from '../../../src/store/alert-store.js';
import { notificationOf } from '../../helpers/incoming-notification.js';
import {
  type AlertOperation,
  type AlertWriteDialect,
  type AlertWriteLoop,
  AlertWrites,
  runSync,
} from '../../../src/store/alert-write-loop.js';

const T = Date.UTC(2025, 4, 6, 9);
const MINUTE = 60_000;

class MemoryDialect implements AlertWriteDialect {
  readonly rows = new Map<string, AlertRow>();
  readonly groups = new Map<string, GroupState>();
  readonly asked: string[] = [];
  #eventIds = 0;

  transaction<T>(loop: AlertWriteLoop<T>): T {
    return runSync(loop, {
      lockFingerprints: (operation) => this.#record(operation),
      latest: (operation) => {
        this.#record(operation);
        return [...this.rows.values()].find((row) => row.fingerprint === operation.fingerprint);
      },
      byId: (operation) => {
        this.#record(operation);
        return this.rows.get(operation.id);
      },
      affectedChecks: (operation) => {
        this.#record(operation);
        return 0;
      },
      checkOpen: (operation) => {
        this.#record(operation);
        return false;
      },
      upsert: (operation) => {
        this.#record(operation);
        this.rows.set(operation.row.id, operation.row);
      },
      update: (operation) => {
        this.#record(operation);
        this.rows.set(operation.row.id, operation.row);
      },
      insertEvent: (operation) => {
        this.#record(operation);
        return (this.#eventIds += 1);
      },
      groupState: (operation) => {
        this.#record(operation);
        return this.groups.get(operation.groupKey);
      },
      saveGroup: (operation) => {
        this.#record(operation);
        this.groups.set(operation.group.groupKey, operation.group);
      },
      enqueue: (operation) => this.#record(operation),
    });
  }

  #record(operation: AlertOperation): void {
    if (operation.kind === 'update') this.asked.push(`update(${operation.columns.join(',')})`);
    else if (operation.kind === 'enqueue') {
      const { alertIds, destinations } = operation.planned;
      this.asked.push(`enqueue(${alertIds.join(',')} → ${destinations.map((to) => to.channel).join(',')})`);
    } else this.asked.push(operation.kind);
  }
}

class MemoryAlertWrites extends AlertWrites {}

let ids = 0;
const plan: IngestPlanner<IngestOutcome> = (latest, incoming) =>
  planIngest(latest, incoming, { dedupWindowMs: 5 * MINUTE, newId: () => `alert-${(ids += 1)}` });

function firing(receivedAt = T): IncomingAlert {
  const labels = { alertname: 'CheckDown', check: 'web', severity: 'critical' };
  return { fingerprint: 'fp-web', status: 'firing', labels, annotations: {}, startsAt: T - MINUTE, receivedAt };
}

function forgetting(): AlertWriteObserver & { forgotten: number } {
  return {
    forgotten: 0,
    rewritten() {},
    forgetAll() {
      this.forgotten += 1;
    },
  };
}

/** Sends to Slack whenever the group's firing set changes. */
const notifyOnChange: NotificationPlanner = (stored, group, alerts) => {
  const stateKey = alerts
    .filter((alert) => alert.state === 'active')
    .map((alert) => alert.fingerprint)
    .join(',');
  if (stored?.stateKey === stateKey) return undefined;
  const sequence = (stored?.sequence ?? 0) + 1;
  const next: GroupState = { groupKey: group.groupKey!, stateKey, status: group.status, sequence, notifiedAt: T };
  const notification = { groupKey: group.groupKey!, stateKey, status: group.status, severity: 'critical' };
  return {
    group: next,
    send: {
      id: `n${sequence}`,
      notification: {
        ...notification,
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        alerts: [],
        acceptedAt: T,
      },
      alertIds: alerts.map((alert) => alert.id),
      destinations: [{ channel: 'slack', state: 'pending' }],
    },
  };
};

describe('the alert write loop', () => {
  it('inserts a new alert with its event, and rewrites only the columns a repeat changed', async () => {
    const dialect = new MemoryDialect();
    const writes = new MemoryAlertWrites(dialect);
    const [opened] = await writes.ingest([notificationOf([firing()])], { alert: plan });
    expect(opened?.changes[0]?.events.map((event) => [event.kind, event.id])).toEqual([['fired', 1]]);
    expect(dialect.asked).toEqual(['lockFingerprints', 'latest', 'upsert', 'insertEvent']);

    dialect.asked.length = 0;
    const [repeat] = await writes.ingest([notificationOf([firing(T + MINUTE)])], { alert: plan });
    expect(repeat?.changes[0]?.outcome).toBe('duplicate');
    expect(dialect.asked).toEqual(['lockFingerprints', 'latest', 'update(last_seen_at)']);
  });

  it("plans each notification after its alerts are written, and writes the group's state and jobs", async () => {
    const dialect = new MemoryDialect();
    const writes = new MemoryAlertWrites(dialect);
    const planners = { alert: plan, notification: notifyOnChange };
    const group = { groupKey: '{}:{alertname="CheckDown"}' };
    const [first, again] = await writes.ingest(
      [notificationOf([firing()], group), notificationOf([firing(T + MINUTE)], group)],
      planners,
    );
    const id = first!.changes[0]!.alerts[0]!.id;
    expect(dialect.asked).toEqual([
      'lockFingerprints',
      'latest',
      'upsert',
      'insertEvent',
      'groupState',
      'saveGroup',
      `enqueue(${id} → slack)`,
      // The second delivery of the same group state, in the same transaction, sees the first one's group.
      'latest',
      'update(last_seen_at)',
      'groupState',
    ]);
    expect(first?.plan?.send?.id).toBe('n1');
    expect(again?.plan).toBeUndefined();
  });

  it('fails the whole transaction when planning throws, and the observer forgets what it counted', async () => {
    const observer = forgetting();
    const writes = new MemoryAlertWrites(new MemoryDialect());
    const failing: NotificationPlanner = () => {
      throw new Error('no route');
    };
    await expect(
      writes.ingest([notificationOf([firing()], { groupKey: 'g' })], {
        alert: plan,
        enrichment: Object.assign(observer, { lookups: () => [], enrich: <C>(change: C) => change }),
        notification: failing,
      }),
    ).rejects.toThrow(/no route/);
    expect(observer.forgotten).toBe(1);
  });
});
