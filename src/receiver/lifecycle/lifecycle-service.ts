// acknowledge, resolve and suppress, as the admin API asks for them. Suppress creates the Alertmanager silence
// first (so a failure leaves the alert as it was and the admin sees why), then records the suppression with the
// silence id; if recording fails, the fresh silence is expired again rather than left behind.

import type { Logger } from 'pino';
import type { AlertAction, AlertRecord } from '../../model/alert.js';
import type { AlertStore, AlertWriteObserver, AppliedChange } from '../../store/alert-store.js';
import type { Clock } from '../clock.js';
import { AlertNotFound } from '../errors.js';
import type { ReceiverMetrics } from '../../metrics/receiver-metrics.js';
import type { Silences } from '../silences/alertmanager-silences.js';
import { expireRequestedSilences } from '../silences/silence-expiry.js';
import type { StoreCall } from '../store-calls.js';
import { type LifecycleOutcome, acknowledge, assertSuppressible, resolveByUser, suppress } from './transitions.js';

export interface LifecycleServiceOptions {
  store: AlertStore;
  call: StoreCall;
  metrics: ReceiverMetrics;
  silences: Silences | undefined;
  clock: Clock;
  logger: Logger;
  /** Told of every alert a change closes or reopens (the ingest enrichment's counts). */
  affectedChecks?: AlertWriteObserver;
}

/** Who asks, and why: `at` is filled in by the service. */
export interface ActionRequest {
  by: string;
  note?: string;
}

export class LifecycleService {
  constructor(private readonly options: LifecycleServiceOptions) {}

  acknowledge(id: string, request: ActionRequest): Promise<AlertRecord> {
    const action = this.#action(request);
    return this.#change(id, (alert) => acknowledge(alert, action));
  }

  async resolve(id: string, request: ActionRequest): Promise<AlertRecord> {
    const action = this.#action(request);
    return this.#change(id, (alert) => resolveByUser(alert, action));
  }

  async suppress(id: string, request: ActionRequest, durationMs: number): Promise<AlertRecord> {
    const { store, call, silences } = this.options;
    const action = this.#action(request);
    const until = action.at + durationMs;
    const current = await call('read', () => store.get(id));
    if (current === undefined) throw new AlertNotFound(id);
    assertSuppressible(current);
    const silenceId = silences === undefined ? undefined : await this.#createSilence(current, action, until, silences);
    try {
      return await this.#change(id, (alert) => suppress(alert, action, until, silenceId));
    } catch (error) {
      if (silenceId !== undefined) await this.#expireQuietly(silenceId, silences);
      throw error;
    }
  }

  #action(request: ActionRequest): AlertAction {
    return {
      at: this.options.clock.now(),
      by: request.by,
      ...(request.note === undefined ? {} : { note: request.note }),
    };
  }

  async #change(id: string, plan: (alert: AlertRecord) => ReturnType<typeof acknowledge>): Promise<AlertRecord> {
    const { store, call, metrics, silences, logger, affectedChecks } = this.options;
    const applied: AppliedChange<LifecycleOutcome> | undefined = await call('change', () =>
      store.change(id, plan, affectedChecks),
    );
    if (applied === undefined) throw new AlertNotFound(id);
    await expireRequestedSilences(applied.events, silences, logger, (operation, result) =>
      metrics.silenceRequest(operation, result),
    );
    const alert = applied.alerts[0];
    if (alert === undefined) throw new Error(`lifecycle change of ${id} wrote no alert`);
    return alert;
  }

  async #createSilence(alert: AlertRecord, action: AlertAction, until: number, silences: Silences): Promise<string> {
    try {
      const id = await silences.create({
        labels: alert.labels,
        startsAt: action.at,
        endsAt: until,
        createdBy: action.by,
        comment: action.note ?? `Suppressed in Vigil (alert ${alert.id})`,
      });
      this.options.metrics.silenceRequest('create', 'ok');
      return id;
    } catch (error) {
      this.options.metrics.silenceRequest('create', 'failed');
      throw error;
    }
  }

  async #expireQuietly(silenceId: string, silences: Silences | undefined): Promise<void> {
    try {
      await silences?.expire(silenceId);
      this.options.metrics.silenceRequest('expire', 'ok');
    } catch (error) {
      this.options.metrics.silenceRequest('expire', 'failed');
      this.options.logger.warn(
        { err: error, silence: silenceId },
        'could not expire a silence whose suppression was not recorded',
      );
    }
  }
}
