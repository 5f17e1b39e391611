// Waiting in tests by polling with a deadline: a test waits for what it needs (a server answering, a row written, a
// socket closed) rather than for a fixed time that is too long on a quiet machine and too short on a busy one.

const DEFAULT_INTERVAL_MS = 25;

export interface PollOptions {
  timeoutMs: number;
  /** Pause between two polls. */
  intervalMs?: number;
}

/**
 * Calls `probe` until `condition` holds for its value or the deadline passes, and returns the last value either
 * way: for tests that assert on that value themselves. A probe that throws counts as "not yet" until the deadline,
 * then its error propagates.
 */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  condition: (value: T) => boolean,
  options: PollOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const expired = Date.now() > deadline;
    try {
      const value = await probe();
      if (condition(value) || expired) return value;
    } catch (error) {
      if (expired) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? DEFAULT_INTERVAL_MS));
  }
}

/** Polls `condition` until it returns true (exceptions count as false), or fails after `timeoutMs` naming what it waited for. */
export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  describe: () => string = () => 'condition',
): Promise<void> {
  const held = await pollUntil(
    async () => {
      try {
        return await condition();
      } catch {
        return false;
      }
    },
    (value) => value,
    { timeoutMs, intervalMs: 100 },
  );
  if (!held) throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}`);
}

/** Polls `probe` until `condition` holds for its value and returns that value; fails after the deadline with the last one. */
export async function eventually<T>(
  probe: () => Promise<T>,
  condition: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  let last: T | undefined;
  const held = await pollUntil(
    async () => {
      try {
        last = await probe();
        return condition(last);
      } catch {
        return false;
      }
    },
    (value) => value,
    { timeoutMs },
  );
  if (!held) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
  return last as T;
}
