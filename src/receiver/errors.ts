// Errors the receiver's services raise on purpose; the HTTP layer maps each to one status code at one boundary.

/** The store refused or could not be reached: answered 503 so Alertmanager (or the admin) retries. */
export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the alert store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A planner refused a change (409): raised inside a store transaction, which rolls back and lets it through. */
export class Refusal extends Error {}

export class AlertNotFound extends Error {
  constructor(readonly id: string) {
    super('no alert with this id');
  }
}
