// The read side of the admin API: one alert with its events and delivery log, filtered pages of alerts, the summary and the patterns.

import type { AlertQuery, AlertStore } from '../../store/alert-store.js';
import type { OutboxStore } from '../../store/outbox-store.js';
import type { Clock } from '../clock.js';
import type { ViewSettings } from '../enrichment/enrich.js';
import { AlertNotFound } from '../errors.js';
import type { StoreCall } from '../store-calls.js';
import { encodeCursor } from './alert-query.js';
import { alertPatterns } from './patterns.js';
import { presentAlert, presentAlertDetail } from './present.js';
import { summarize } from './summary.js';

const DAY_MS = 86_400_000;
/** Alerts one patterns request reads at most; beyond it the answer says it is truncated. */
export const PATTERNS_MAX_ALERTS = 100_000;
const RECENT = 10;

export class HistoryService {
  constructor(
    private readonly store: AlertStore,
    private readonly call: StoreCall,
    private readonly clock: Clock,
    /** Where an alert's links point (they are derived when it is shown, so they follow the configuration). */
    private readonly links: ViewSettings,
    /** The delivery log's source; without it the log is empty (no notification is ever sent). */
    private readonly outbox?: OutboxStore,
  ) {}

  async alert(id: string) {
    const alert = await this.call('read', () => this.store.get(id));
    if (alert === undefined) throw new AlertNotFound(id);
    const events = await this.call('read', () => this.store.events(id));
    const { outbox } = this;
    const deliveries = outbox === undefined ? [] : await this.call('read', () => outbox.deliveriesOf(id));
    return presentAlertDetail(alert, events, deliveries, this.links);
  }

  async list(query: AlertQuery) {
    const alerts = await this.call('read', () => this.store.list(query));
    const last = alerts.at(-1);
    return {
      alerts: alerts.map((alert) => presentAlert(alert, this.links)),
      next_cursor: alerts.length === query.limit && last !== undefined ? encodeCursor(last) : null,
    };
  }

  async summary() {
    const counts = await this.call('read', () => this.store.counts());
    const recent = await this.call('read', () => this.store.list({ limit: RECENT }));
    return { ...summarize(counts), recent: recent.map((alert) => presentAlert(alert, this.links)) };
  }

  async patterns(days: number) {
    const now = this.clock.now();
    const since = now - days * DAY_MS;
    const alerts = await this.call('read', () => this.store.startedBetween(since, now + 1, PATTERNS_MAX_ALERTS));
    return {
      days,
      since: new Date(since).toISOString(),
      truncated: alerts.length === PATTERNS_MAX_ALERTS,
      ...alertPatterns(alerts),
    };
  }
}
