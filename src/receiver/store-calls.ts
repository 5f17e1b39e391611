// Every call the receiver makes to the store goes through here: timed for /metrics, and any failure turned into
// StoreUnavailable so the HTTP layer answers 503 rather than 500. A planner's Refusal passes through as it is.

import type { ReceiverMetrics, StoreOperation } from '../metrics/receiver-metrics.js';
import { Refusal, StoreUnavailable } from './errors.js';

export type StoreCall = <T>(operation: StoreOperation, work: () => Promise<T>) => Promise<T>;

export function storeCalls(metrics: ReceiverMetrics): StoreCall {
  return async (operation, work) => {
    try {
      return await metrics.timed(operation, work);
    } catch (error) {
      throw error instanceof StoreUnavailable || error instanceof Refusal ? error : new StoreUnavailable(error);
    }
  };
}
