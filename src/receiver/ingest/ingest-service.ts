// Ingest of one validated webhook notification: a store transaction (shared with the notifications arriving at the
// same moment, see IngestBatcher) decides every alert with the state machine and writes it enriched, once; then,
// once it is durable, outcomes are counted and silences of resolved alerts are expired. The caller answers Alertmanager
// once `ingest` resolves; it rejects with StoreUnavailable when nothing was stored.

import type { Logger } from 'pino';
import type { ReceiverMetrics } from '../../metrics/receiver-metrics.js';
import type { AlertEvent, IncomingAlert, IngestOutcome } from '../../model/alert.js';
import type { AlertStore, IngestEnrichment } from '../../store/alert-store.js';
import type { Silences } from '../silences/alertmanager-silences.js';
import { expireRequestedSilences } from '../silences/silence-expiry.js';
import type { StoreCall } from '../store-calls.js';
import { newAlertId } from './alert-id.js';
import { planIngest } from './alert-state.js';
import { IngestBatcher } from './ingest-batcher.js';

export interface IngestServiceOptions {
  store: AlertStore;
  call: StoreCall;
  metrics: ReceiverMetrics;
  dedupWindowMs: number;
  silences: Silences | undefined;
  logger: Logger;
  /** Applied to each new alert in the ingest transaction, so it is written once, already enriched. */
  enrichment: IngestEnrichment;
  newId?: () => string;
}

export interface IngestSummary {
  alerts: number;
  outcomes: Partial<Record<IngestOutcome, number>>;
  /** Events appended, with their ids: what a delivery outbox starts from. */
  events: AlertEvent[];
}

export class IngestService {
  readonly #batcher: IngestBatcher<IngestOutcome>;

  constructor(private readonly options: IngestServiceOptions) {
    const context = { dedupWindowMs: options.dedupWindowMs, newId: options.newId ?? (() => newAlertId()) };
    this.#batcher = IngestBatcher.over(
      options.store,
      (latest, incoming) => planIngest(latest, incoming, context),
      options.enrichment,
    );
  }

  async ingest(alerts: readonly IncomingAlert[]): Promise<IngestSummary> {
    const { call, metrics, silences, logger } = this.options;
    const applied = await call('ingest', () => this.#batcher.submit(alerts));
    const summary: IngestSummary = { alerts: alerts.length, outcomes: {}, events: [] };
    for (const change of applied) {
      metrics.alert(change.outcome);
      summary.outcomes[change.outcome] = (summary.outcomes[change.outcome] ?? 0) + 1;
      summary.events.push(...change.events);
    }
    void expireRequestedSilences(summary.events, silences, logger, (operation, result) =>
      metrics.silenceRequest(operation, result),
    );
    return summary;
  }
}
