// Stores diagnoses on their alerts, many to a transaction: an alert storm diagnoses hundreds of alerts a second, and a
// write transaction each took as much of the store as the ingest that accepted them. What is saved while one write
// runs waits for the next, which takes all of it; each caller still hears when its own diagnosis is stored.

import type { AlertDiagnosis } from '../../model/diagnosis.js';
import type { AlertStore } from '../../store/alert-store.js';
import { type DiagnosisSaved, savedDiagnosis } from './saved-diagnosis.js';

/** Diagnoses written in one transaction at most. */
const BATCH = 200;

interface Pending {
  id: string;
  /** The firing (lastStartsAt) the diagnosis is of. */
  firing: number;
  diagnosis: AlertDiagnosis;
  done: { resolve: () => void; reject: (error: unknown) => void };
}

export class DiagnosisWriter {
  #pending: Pending[] = [];
  #draining = false;

  constructor(private readonly alerts: Pick<AlertStore, 'changeEach'>) {}

  /** Resolves once the diagnosis is stored (or found stale: the alert fired again meanwhile, or is gone). */
  save(id: string, firing: number, diagnosis: AlertDiagnosis): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ id, firing, diagnosis, done: { resolve, reject } });
      if (!this.#draining) {
        this.#draining = true;
        void this.#drain();
      }
    });
  }

  async #drain(): Promise<void> {
    // Saves made in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
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
    this.#draining = false;
  }
}
