// The affected-check counts behind each new alert's priority and impact, kept by the receiver between ingest
// transactions: this is the enrichment an ingest hands the store (see IngestEnrichment). A name's count is read from
// the store when it is first needed, then each new open alert adds one unless its check already had an open alert:
// the alerts_open_checks index answers both questions on its own. A count is read again after a transaction closed
// or reopened an alert of that name, after a failed transaction, and at least every few seconds, for what other
// replicas change.

import { copyWith } from '../../copy-with.js';
import { dbText } from '../../store/alert-rows.js';
import { type AlertChange, type AlertRecord, isOpen } from '../../model/alert.js';
import type { CheckFound, CheckLookup, IngestEnrichment } from '../../store/alert-store.js';
import type { EnrichmentRule } from './enrich.js';

/** How long a count is trusted without being read again: what other replicas did shows up within this. */
const COUNT_TTL_MS = 5_000;

export class AffectedChecks implements IngestEnrichment {
  readonly #counts = new Map<string, { count: number; readAt: number }>();

  constructor(
    private readonly rule: EnrichmentRule,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The alerts this change writes without an enrichment, each with what must be looked up for it. */
  lookups(change: AlertChange): CheckLookup[] {
    const lookups: CheckLookup[] = [];
    for (const alert of change.writes) {
      if (alert.enrichment !== undefined) continue;
      const name = dbText(alert.alertname);
      const known = this.#counts.get(name);
      const check = dbText(alert.checkId ?? alert.fingerprint);
      const stale = known === undefined || this.now() - known.readAt > COUNT_TTL_MS;
      lookups.push({ alert, name, check, countUpTo: stale ? this.rule.affectedChecksCap : undefined });
    }
    return lookups;
  }

  /** The change with each looked-up alert enriched; `found` answers `lookups` in order, before the change is written. */
  enrich<Outcome extends string>(
    change: AlertChange<Outcome>,
    lookups: readonly CheckLookup[],
    found: readonly CheckFound[],
  ): AlertChange<Outcome> {
    if (lookups.length === 0) return change;
    const cap = this.rule.affectedChecksCap;
    const enriched = new Map<AlertRecord, AlertRecord>();
    lookups.forEach(({ alert, name }, index) => {
      const { count, checkOpen } = found[index]!;
      const known = this.#counts.get(name);
      const readAt = count === undefined && known !== undefined ? known.readAt : this.now();
      const affected = Math.min(cap, (count ?? known?.count ?? 0) + (isOpen(alert.state) && !checkOpen ? 1 : 0));
      this.#counts.set(name, { count: affected, readAt });
      enriched.set(alert, copyWith(alert, { enrichment: this.rule.enrich(alert, Math.max(1, affected)) }));
    });
    return copyWith(change, { writes: change.writes.map((alert) => enriched.get(alert) ?? alert) });
  }

  /** Closing an alert may leave its check without an open alert, reopening one may add a check: count again. */
  rewritten(alert: AlertRecord, wasOpen: boolean): void {
    if (isOpen(alert.state) !== wasOpen) this.#counts.delete(dbText(alert.alertname));
  }

  /** After a failed transaction: what it counted was never stored. */
  forgetAll(): void {
    this.#counts.clear();
  }
}
