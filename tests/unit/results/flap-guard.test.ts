import { describe, expect, it } from 'vitest';
import { FLAP_WINDOW_MS, FlapGuard } from '../../../src/results/flap-guard.js';

const MIN = 60_000;

describe('FlapGuard', () => {
  it('logs the first changes at info, says once that a check flaps, then goes quiet until it settles', () => {
    const guard = new FlapGuard();
    // The demo's flaky check: a change every 10 s probe or two.
    const levels = Array.from({ length: 12 }, (_, index) => guard.change('demo_flaky', index * 20_000));
    expect(levels).toEqual(['info', 'info', 'info', 'flapping', ...Array<string>(8).fill('debug')]);
    // A whole window without a change: the next one is news again.
    expect(guard.change('demo_flaky', 11 * 20_000 + FLAP_WINDOW_MS)).toBe('info');
  });

  it('does not call a check flapping for four changes spread over more than the window', () => {
    const guard = new FlapGuard();
    const levels = [0, 20, 40, 60, 80].map((minute) => guard.change('api', minute * MIN));
    expect(levels).toEqual(['info', 'info', 'info', 'info', 'info']);
  });

  it('keeps each check apart', () => {
    const guard = new FlapGuard();
    for (let index = 0; index < 4; index++) guard.change('flaky', index * 1000);
    expect(guard.change('flaky', 5000)).toBe('debug');
    expect(guard.change('steady', 5000)).toBe('info');
  });
});
