// Which status changes are worth an info line. A check that flips between healthy and down every few probes (the
// demo's flaky checkout, a real service on the edge) would otherwise write a line every probe: once a check has
// changed status FLAP_CHANGES times within FLAP_WINDOW_MS it is flapping, that change is logged once at info saying
// so, and its further changes go to debug until it has kept one status for a whole window.

export const FLAP_CHANGES = 4;
export const FLAP_WINDOW_MS = 30 * 60_000;

export type ChangeLevel = 'info' | 'flapping' | 'debug';

export class FlapGuard {
  /** The times of each check's last FLAP_CHANGES status changes, oldest first. */
  readonly #changes = new Map<string, number[]>();

  /** Records a status change of `checkId` at `at` and says how to log it. */
  change(checkId: string, at: number): ChangeLevel {
    const recent = (this.#changes.get(checkId) ?? []).filter((time) => at - time < FLAP_WINDOW_MS);
    const wasFlapping = recent.length >= FLAP_CHANGES;
    const changes = [...recent, at].slice(-FLAP_CHANGES);
    this.#changes.set(checkId, changes);
    if (wasFlapping) return 'debug';
    return changes.length >= FLAP_CHANGES ? 'flapping' : 'info';
  }

  /** Forgets checks that are no longer configured. */
  retain(checkIds: ReadonlySet<string>): void {
    for (const id of this.#changes.keys()) if (!checkIds.has(id)) this.#changes.delete(id);
  }
}
