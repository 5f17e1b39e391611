// The shared alert write loop on a dialect that keeps rows in memory and records each operation it is asked for:
// what a planned change turns into (an insert, an update of only the changed columns, events, deliveries), and that
// a failed transaction makes the enrichment forget its counts.

import { describe, expect, it } from 'vitest';
import type { IngestOutcome } from '../../../src/model/alert.js';
import { planIngest } from '../../../src/receiver/ingest/alert-state.js';
import type { AlertRow } from '../../../src/store/alert-rows.js';
import type { AlertChange, IncomingAlert } from '../../../src/model/alert.js';
import type { AlertWriteObserver, IngestPlanner } from '../../../src/store/alert-store.js';
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
      enqueueDelivery: (operation) => this.#record(operation),
    });
  }

  #record(operation: AlertOperation): void {
    if (operation.kind === 'update') this.asked.push(`update(${operation.columns.join(',')})`);
    else if (operation.kind === 'enqueueDelivery')
      this.asked.push(`enqueueDelivery(${operation.delivery.channel}@${operation.eventId})`);
    else this.asked.push(operation.kind);
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

describe('the alert write loop', () => {
  it('inserts a new alert with its event, and rewrites only the columns a repeat changed', async () => {
    const dialect = new MemoryDialect();
    const writes = new MemoryAlertWrites(dialect);
    const [opened] = await writes.ingest([firing()], plan);
    expect(opened?.events.map((event) => [event.kind, event.id])).toEqual([['fired', 1]]);
    expect(dialect.asked).toEqual(['lockFingerprints', 'latest', 'upsert', 'insertEvent']);

    dialect.asked.length = 0;
    const [repeat] = await writes.ingest([firing(T + MINUTE)], plan);
    expect(repeat?.outcome).toBe('duplicate');
    expect(dialect.asked).toEqual(['lockFingerprints', 'latest', 'update(last_seen_at)']);
  });

  it('enqueues each delivery with the id of the event it announces', async () => {
    const dialect = new MemoryDialect();
    const withDelivery: IngestPlanner<IngestOutcome> = (latest, incoming) => {
      const change = plan(latest, incoming);
      return { ...change, deliveries: [{ alertId: change.writes[0]!.id, eventIndex: 0, channel: 'slack' }] };
    };
    await new MemoryAlertWrites(dialect).ingest([firing()], withDelivery);
    expect(dialect.asked).toEqual(['lockFingerprints', 'latest', 'upsert', 'insertEvent', 'enqueueDelivery(slack@1)']);
  });

  it('fails the transaction for a delivery of no event, and the observer forgets what it counted', async () => {
    const observer = forgetting();
    const orphan = (change: AlertChange<IngestOutcome>): AlertChange<IngestOutcome> => ({
      ...change,
      deliveries: [{ alertId: 'x', eventIndex: change.events.length, channel: 'email' }],
    });
    const writes = new MemoryAlertWrites(new MemoryDialect());
    await expect(writes.ingest([firing()], (latest, incoming) => orphan(plan(latest, incoming)))).rejects.toThrow(
      /names no event/,
    );
    await expect(
      writes.change('no-such-alert', () => orphan(plan(undefined, firing())), observer),
    ).resolves.toBeUndefined();
    expect(observer.forgotten).toBe(0);
    const [opened] = await writes.ingest([firing()], plan);
    await expect(
      writes.change(opened!.alerts[0]!.id, () => orphan(plan(undefined, firing())), observer),
    ).rejects.toThrow(/names no event/);
    expect(observer.forgotten).toBe(1);
  });
});
