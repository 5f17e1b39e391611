// The public status page and `GET /api/v1/status` as last rendered, reused while the source's revision stays the same
// (StatusSource.revision): many visitors, and the page's own refresh every minute, then cost a lookup rather than a
// render. One entry per variant (HTML plain or gzipped, JSON), so the cache stays a handful of entries.

interface Entry<T> {
  revision: string;
  body: Promise<T>;
}

export class RenderedPages<T> {
  readonly #entries = new Map<string, Entry<T>>();

  /** The variant's body rendered at `revision`, rendering it now if it was not; a failed render is not kept. */
  get(variant: string, revision: string, render: () => Promise<T>): Promise<T> {
    const kept = this.#entries.get(variant);
    if (kept?.revision === revision) return kept.body;
    const entry = { revision, body: render() };
    this.#entries.set(variant, entry);
    entry.body.catch(() => {
      if (this.#entries.get(variant) === entry) this.#entries.delete(variant);
    });
    return entry.body;
  }
}
