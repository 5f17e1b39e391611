// A slow provider's answers, given out in bursts: every request is held, and every `periodMs` all the held ones
// whose client is still connected are answered at once. Between two bursts no answer is on the wire, so a test can
// kill the client at a moment when it knows which messages were answered (they were delivered) and which were not
// (their client vanished before the answer: like any provider, the server cannot tell them apart from a message never
// sent, and neither can the client). Several servers can share one instance and so answer in step. Nothing is
// answered before start(), so a test can also choose when delivery begins.

/** One request waiting for its answer. */
export interface HeldAnswer {
  /** Answers the client: the message counts as delivered from here. */
  answer(): void;
  /** True once the client's connection has closed; such a request is dropped, never answered. */
  clientGone(): boolean;
}

export class AnswerBursts {
  /** Bursts so far: a caller that sees it unchanged knows no answer was given in between. */
  count = 0;
  /** Held requests dropped because their client had gone: the messages a crash left unanswered. */
  dropped = 0;
  private held: HeldAnswer[] = [];
  private waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly periodMs: number) {}

  /** The first burst comes one period from now. */
  start(): void {
    this.timer ??= setInterval(() => this.burst(), this.periodMs);
  }

  hold(request: HeldAnswer): void {
    this.held.push(request);
  }

  /** Requests held right now whose client is still there: the ones a kill now would leave unanswered. */
  heldCount(): number {
    return this.held.filter((each) => !each.clientGone()).length;
  }

  /** Resolves just after the next burst has answered what it held. */
  nextBurst(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** No more bursts until start(); what is still held stays unanswered until then (or for good). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private burst(): void {
    const due = this.held;
    this.held = [];
    this.count += 1;
    for (const request of due) {
      if (request.clientGone()) this.dropped += 1;
      else request.answer();
    }
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
