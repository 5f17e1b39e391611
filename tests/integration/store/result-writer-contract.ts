// The ResultWriter over a real store: batches reach the store as few transactions, a close writes what is left,
// a failing store is retried later, and the buffer stays bounded by dropping the oldest results, with a warning.

import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResultWriter, type ResultWriterOptions } from '../../../src/store/result-writer.js';
import type { Store, StoredResult } from '../../../src/store/store.js';
import { RESULT_SPACING_MS, T0, result, type StoreFixture } from './store-harness.js';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

const WARN = 40;
const LONG_INTERVAL_MS = 60_000;

/** Delegates to the real store and remembers the size of each insertResults call: one call is one transaction. */
function countingStore(store: Store): { insertResults: Store['insertResults']; batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    insertResults: async (results) => {
      batches.push(results.length);
      await store.insertResults(results);
    },
  };
}

function capturingLogger(): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, destination), lines };
}

function results(count: number, checkId = 'api'): StoredResult[] {
  return Array.from({ length: count }, (_, index) => result(checkId, T0 + index * RESULT_SPACING_MS));
}

export function registerResultWriterContract(current: () => { fixture: StoreFixture; store: Store }): void {
  describe('result writer', () => {
    const writers: ResultWriter[] = [];

    function writer(options: Omit<ResultWriterOptions, 'logger'> & { logger?: pino.Logger }): ResultWriter {
      const created = new ResultWriter({ logger: capturingLogger().logger, ...options });
      writers.push(created);
      return created;
    }

    afterEach(async () => {
      await Promise.allSettled(writers.splice(0).map((created) => created.close()));
    });

    it('writes as soon as maxBatch results wait, as a few batches of at most maxBatch', async () => {
      const { store } = current();
      const counting = countingStore(store);
      const resultWriter = writer({ store: counting, maxBatch: 100, flushIntervalMs: LONG_INTERVAL_MS });
      const added = results(250);

      for (const one of added) resultWriter.add(one);
      // The interval is a minute away: only reaching maxBatch can have started this.
      await vi.waitFor(() => expect(resultWriter.counters.written).toBe(250), { timeout: 5_000, interval: 10 });

      expect(counting.batches).toEqual([100, 100, 50]);
      expect(resultWriter.counters).toEqual({ written: 250, failedFlushes: 0, dropped: 0, buffered: 0 });
      expect(await store.listResults('api')).toStrictEqual(added);
    });

    it('flushes on its interval without being asked', async () => {
      const { store } = current();
      const resultWriter = writer({ store, flushIntervalMs: 50 });
      for (const one of results(3)) resultWriter.add(one);

      await vi.waitFor(async () => expect(await store.listResults('api')).toHaveLength(3), {
        timeout: 5_000,
        interval: 20,
      });
    });

    it('writes what is left on close and refuses results afterwards', async () => {
      const { store } = current();
      const resultWriter = writer({ store, flushIntervalMs: LONG_INTERVAL_MS });
      for (const one of results(5)) resultWriter.add(one);

      await resultWriter.close();

      expect(await store.listResults('api')).toHaveLength(5);
      expect(() => resultWriter.add(result('api', T0))).toThrow(/after close/);
    });

    it('keeps results while the store fails and writes them once it recovers', async () => {
      const { fixture, store } = current();
      const { logger, lines } = capturingLogger();
      const resultWriter = writer({ store, logger, flushIntervalMs: 50 });
      const unblock = await fixture.blockResultWrites();
      const added = results(5);
      for (const one of added) resultWriter.add(one);

      await expect(resultWriter.flush()).rejects.toThrow();
      expect(resultWriter.counters).toMatchObject({ written: 0, buffered: 5 });
      expect(resultWriter.counters.failedFlushes).toBeGreaterThanOrEqual(1);
      expect(lines.some((line) => line.msg.includes('writing results to the store failed'))).toBe(true);
      expect(await store.listResults('api')).toEqual([]);

      await unblock();
      await vi.waitFor(() => expect(resultWriter.counters.written).toBe(5), { timeout: 10_000, interval: 20 });
      expect(await store.listResults('api')).toStrictEqual(added);
    });

    it('drops the oldest results beyond its bound, counts them and warns', async () => {
      const { fixture, store } = current();
      const { logger, lines } = capturingLogger();
      const resultWriter = writer({ store, logger, maxBuffered: 20, maxBatch: 10, flushIntervalMs: LONG_INTERVAL_MS });
      const unblock = await fixture.blockResultWrites();
      const added = results(30);

      for (const one of added.slice(0, 10)) resultWriter.add(one);
      await vi.waitFor(() => expect(resultWriter.counters.failedFlushes).toBeGreaterThanOrEqual(1), {
        timeout: 10_000,
        interval: 20,
      });
      for (const one of added.slice(10)) resultWriter.add(one);
      expect(resultWriter.counters).toMatchObject({ written: 0, dropped: 10, buffered: 20 });

      await unblock();
      await resultWriter.close();

      expect(await store.listResults('api')).toStrictEqual(added.slice(10));
      const warning = lines.find((line) => line.level === WARN && line.msg.includes('dropped the oldest'));
      expect(warning).toMatchObject({ dropped: 10, droppedTotal: 10, maxBuffered: 20 });
    });
  });
}
