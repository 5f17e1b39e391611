// The public status page and `GET /api/v1/status` as last rendered, reused while nothing they show has changed: many
// visitors, and the page's own refresh every minute, then cost a lookup rather than a render. A change of revision
// (an incident, a reload, a new figures snapshot) renders afresh at the next request. New results alone do so once
// the render is RESULT_LAG_MS old: a prober with a thousand checks takes in results every second, and rendering the
// page for each would make every request a full render; the answer's own Cache-Control already lets a visitor's
// cache keep it 15 s. One entry per variant (HTML plain or gzipped, JSON), so the cache stays a handful of entries.

/** How long a render may be reused after new results came in. */
export const RESULT_LAG_MS = 5_000;

/** What a render was made from: the source's revision and how many batches of results it had taken in. */
export interface RenderState {
  revision: string;
  resultBatches: number;
}

interface Entry<T> extends RenderState {
  renderedAt: number;
  body: Promise<T>;
}

export interface RenderedPagesOptions {
  resultLagMs?: number;
  now?: () => number;
}

export class RenderedPages<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #resultLagMs: number;
  readonly #now: () => number;

  constructor(options: RenderedPagesOptions = {}) {
    this.#resultLagMs = options.resultLagMs ?? RESULT_LAG_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The variant's body as rendered from `state`, or from an earlier state still fit to show; a failed render is not kept. */
  get(variant: string, state: RenderState, render: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const kept = this.#entries.get(variant);
    if (
      kept?.revision === state.revision &&
      (kept.resultBatches === state.resultBatches || now - kept.renderedAt < this.#resultLagMs)
    ) {
      return kept.body;
    }
    const entry = { ...state, renderedAt: now, body: render() };
    this.#entries.set(variant, entry);
    entry.body.catch(() => {
      if (this.#entries.get(variant) === entry) this.#entries.delete(variant);
    });
    return entry.body;
  }
}
