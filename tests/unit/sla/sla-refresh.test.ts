import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SlaFigures } from '../../../src/sla/sla-service.js';
import { SlaRefresh } from '../../../src/sla/sla-refresh.js';

const logger = pino({ level: 'silent' });
const FIGURES: SlaFigures = { percent: { '24h': 99.5 }, targetPercent: 99.9 };

afterEach(() => {
  vi.useRealTimers();
});

describe('SlaRefresh', () => {
  it('publishes every check’s figures at once on start, then again after the pause', async () => {
    vi.useFakeTimers();
    const published: string[] = [];
    const figures = vi.fn(
      async () =>
        new Map([
          ['api', FIGURES],
          ['db', FIGURES],
        ]),
    );
    const refresh = new SlaRefresh({ figures, publish: (id) => published.push(id), logger, everyMs: 1_000 });
    void refresh.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(published).toEqual(['api', 'db']);
    await vi.advanceTimersByTimeAsync(999);
    expect(figures).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(figures).toHaveBeenCalledTimes(2);
    await refresh.stop();
  });

  it('keeps refreshing after a failure', async () => {
    vi.useFakeTimers();
    const figures = vi
      .fn()
      .mockRejectedValueOnce(new Error('store down'))
      .mockResolvedValue(new Map([['api', FIGURES]]));
    const publish = vi.fn();
    const refresh = new SlaRefresh({ figures, publish, logger, everyMs: 1_000 });
    void refresh.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(publish).toHaveBeenCalledWith('api', FIGURES);
    await refresh.stop();
  });

  it('pauses a multiple of a slow refresh’s duration', async () => {
    vi.useFakeTimers();
    const figures = vi.fn(
      () => new Promise<Map<string, SlaFigures>>((resolve) => setTimeout(() => resolve(new Map()), 500)),
    );
    const refresh = new SlaRefresh({
      figures,
      publish: () => {},
      logger,
      everyMs: 1_000,
      dutyFactor: 10,
      now: Date.now,
    });
    void refresh.start();
    await vi.advanceTimersByTimeAsync(500 + 4_900);
    expect(figures).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(figures).toHaveBeenCalledTimes(2);
    const stopping = refresh.stop();
    await vi.advanceTimersByTimeAsync(500);
    await stopping;
  });

  it('waits for a refresh in flight on stop and schedules none after it', async () => {
    vi.useFakeTimers();
    let finish!: () => void;
    const figures = vi.fn(() => new Promise<Map<string, SlaFigures>>((resolve) => (finish = () => resolve(new Map()))));
    const refresh = new SlaRefresh({ figures, publish: () => {}, logger, everyMs: 1_000 });
    void refresh.start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = refresh.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(figures).toHaveBeenCalledTimes(1);
  });

  it('does not start once stopped', async () => {
    vi.useFakeTimers();
    const figures = vi.fn(async () => new Map<string, SlaFigures>());
    const refresh = new SlaRefresh({ figures, publish: () => {}, logger });
    await refresh.stop();
    void refresh.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(figures).not.toHaveBeenCalled();
  });
});
