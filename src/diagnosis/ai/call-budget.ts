// A budget of calls per minute to the AI provider, as a token bucket: up to `perMinute` calls at once, refilled
// evenly over the minute. Beyond it an alert gets the rule diagnosis alone: a storm of alerts must not become a storm
// of paid calls, nor wait behind them.

const MINUTE_MS = 60_000;

export class CallBudget {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = perMinute;
    this.refilledAt = now();
  }

  /** Spends one call when the budget has one; false when it is exhausted. */
  tryTake(): boolean {
    const now = this.now();
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.perMinute, this.tokens + (elapsed * this.perMinute) / MINUTE_MS);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
