// The affected-check counts behind an ingest's enrichment (see IngestEnrichment), kept by each alert store between
// transactions. A name's count is read from the store (affectedChecks) when it is first needed, then each new open
// alert adds one unless its check already had an open alert: the alerts_open_checks index answers both questions
// on its own. A count is read again after this store closed an alert of that name, after a failed transaction, and
// at least every few seconds, for what other replicas change.

import { copyWith } from '../copy-with.js';
import { type AlertChange, type AlertRecord, type IngestEnrichment, isOpen } from '../model/alert.js';
import { dbText } from './alert-rows.js';

/** How long a count is trusted without being read again: what other replicas did shows up within this. */
const COUNT_TTL_MS = 5_000;

/** What one new alert needs looked up in the store before it is written: its name and check, as stored. */
export interface CheckLookup {
  alert: AlertRecord;
  name: string;
  check: string;
  /** The name's count must be read too. */
  countName: boolean;
}

/** What the store found for a CheckLookup. */
export interface CheckFound {
  /** The name's count, when `countName` asked for it. */
  count?: number;
  /** The check already had an open alert of the name. */
  checkOpen: boolean;
}

export class AffectedChecks {
  readonly #counts = new Map<string, { count: number; readAt: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The alerts this change writes without an enrichment, each with what must be looked up for it. */
  lookups(change: AlertChange): CheckLookup[] {
    const lookups: CheckLookup[] = [];
    for (const alert of change.writes) {
      if (alert.enrichment !== undefined) continue;
      const name = dbText(alert.alertname);
      const known = this.#counts.get(name);
      const countName = known === undefined || this.now() - known.readAt > COUNT_TTL_MS;
      lookups.push({ alert, name, check: dbText(alert.checkId ?? alert.fingerprint), countName });
    }
    return lookups;
  }

  /** The change with each looked-up alert enriched; `found` answers `lookups` in order, before the change is written. */
  enrich<Outcome extends string>(
    change: AlertChange<Outcome>,
    enrichment: IngestEnrichment,
    lookups: readonly CheckLookup[],
    found: readonly CheckFound[],
  ): AlertChange<Outcome> {
    if (lookups.length === 0) return change;
    const cap = enrichment.affectedChecksCap;
    const enriched = new Map<AlertRecord, AlertRecord>();
    lookups.forEach(({ alert, name }, index) => {
      const { count, checkOpen } = found[index]!;
      const known = this.#counts.get(name);
      const readAt = count === undefined && known !== undefined ? known.readAt : this.now();
      const affected = Math.min(cap, (count ?? known?.count ?? 0) + (isOpen(alert.state) && !checkOpen ? 1 : 0));
      this.#counts.set(name, { count: affected, readAt });
      enriched.set(alert, copyWith(alert, { enrichment: enrichment.enrich(alert, Math.max(1, affected)) }));
    });
    return copyWith(change, { writes: change.writes.map((alert) => enriched.get(alert) ?? alert) });
  }

  /**
   * Called for every alert a transaction rewrites, with whether it was open before: closing one may leave its check
   * without an open alert, reopening one may add a check, so the name is counted again when next needed.
   */
  rewritten(alert: AlertRecord, wasOpen: boolean): void {
    if (isOpen(alert.state) !== wasOpen) this.#counts.delete(dbText(alert.alertname));
  }

  /** After a failed transaction: what it counted was never stored. */
  forgetAll(): void {
    this.#counts.clear();
  }
}
