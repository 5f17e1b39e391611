// A first-in first-out buffer with cheap removal at both ends of the old side: the ResultWriter takes batches from
// the front, puts a failed batch back there, and drops the oldest entries when it is over its bound. A plain array
// would shift every element on each of those.

export class ResultFifo<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Removes and returns up to `count` of the oldest items. */
  take(count: number): T[] {
    const taken = this.#items.slice(this.#head, this.#head + count);
    this.#advance(taken.length);
    return taken;
  }

  /** Puts `items` back in front of everything, in their order (a batch that could not be written). */
  putBack(items: readonly T[]): void {
    if (items.length <= this.#head) {
      this.#head -= items.length;
      for (const [offset, item] of items.entries()) this.#items[this.#head + offset] = item;
      return;
    }
    this.#items = [...items, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }

  /** Discards up to `count` of the oldest items; returns how many went. */
  dropOldest(count: number): number {
    const dropped = Math.min(count, this.length);
    this.#advance(dropped);
    return dropped;
  }

  #advance(count: number): void {
    this.#head += count;
    // Reclaim the consumed prefix once it dominates, so memory follows what is buffered.
    if (this.#head > 1_024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
