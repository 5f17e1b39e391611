// Stores diagnoses on their alerts, many to a transaction: an alert storm diagnoses hundreds of alerts a second, and a
// write transaction for each one or two took a fifth of the receiver's time beside the ingest that accepted them.
// Saves wait up to FLUSH_MS for others to join them; nobody waits on a save to use a diagnosis (a delivery takes it
// from memory), so the wait costs nothing but how soon the API shows it. Each caller still hears when its own is
// stored.

import type { AlertDiagnosis } from '../../model/diagnosis.js';
import type { AlertStore } from '../../store/alert-store.js';
import { type DiagnosisSaved, savedDiagnosis } from './saved-diagnosis.js';

/** Diagnoses written in one transaction at most. */
const BATCH = 200;
/** How long a save waits for others to share its transaction. */
const FLUSH_MS = 50;

interface Pending {
  id: string;
  /** The firing (lastStartsAt) the diagnosis is of. */
  firing: number;
  diagnosis: AlertDiagnosis;
  done: { resolve: () => void; reject: (error: unknown) => void };
}

export class DiagnosisWriter {
  #pending: Pending[] = [];
  /** The write loop while one runs. */
  #drain: Promise<void> | undefined;

  constructor(private readonly alerts: Pick<AlertStore, 'changeEach'>) {}

  /** Resolves once the diagnosis is stored (or found stale: the alert fired again meanwhile, or is gone). */
  save(id: string, firing: number, diagnosis: AlertDiagnosis): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ id, firing, diagnosis, done: { resolve, reject } });
      this.#drain ??= this.#drainPending().finally(() => {
        this.#drain = undefined;
      });
    });
  }

  /** Resolves once every save asked for so far is written (before the store closes). */
  async idle(): Promise<void> {
    while (this.#drain !== undefined) await this.#drain;
  }

  async #drainPending(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, BATCH);
      // In id order: two transactions that lock rows always lock them in the same order.
      const ordered = [...batch].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      try {
        await this.alerts.changeEach<DiagnosisSaved>(
          ordered.map(({ id, firing, diagnosis }) => ({
            id,
            plan: (current) => savedDiagnosis(current, firing, diagnosis),
          })),
        );
        for (const each of batch) each.done.resolve();
      } catch (error) {
        for (const each of batch) each.done.reject(error);
      }
    }
  }
}
