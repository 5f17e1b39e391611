// The receiver's sense of time, injectable so TTLs, dedup windows and patterns can be tested without waiting.

export interface Clock {
  /** Unix milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
