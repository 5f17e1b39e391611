// How long each kind of stored data is kept: set in config.yml, applied by the store's retention job and the
// receiver's alert pruning. Durations in milliseconds.

export interface Retention {
  resultsMs: number;
  incidentsMs: number;
  /** Hourly rollups are kept this long; daily ones as long as incidents. */
  hourlyRollupsMs: number;
  /** Alerts of the receiver (pruned by the receiver's own store, when it has one). */
  alertsMs?: number;
}
