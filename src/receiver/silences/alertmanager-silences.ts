// Silences in Alertmanager through its v2 API: create one matching an alert's labels exactly, and expire it. Every
// request has a timeout; a failure is an error naming Alertmanager's answer, never silently ignored.

import { request } from 'undici';

export interface SilenceRequest {
  labels: Readonly<Record<string, string>>;
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
}

/** What the receiver needs from Alertmanager; an interface so the role can run without one configured. */
export interface Silences {
  create(silence: SilenceRequest): Promise<string>;
  expire(id: string): Promise<void>;
}

export class SilenceError extends Error {}

/** Exact matchers for every label with a value: Alertmanager rejects a silence that would match everything. */
export function matchersOf(labels: Readonly<Record<string, string>>) {
  return Object.entries(labels)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
}

export class AlertmanagerSilences implements Silences {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async create(silence: SilenceRequest): Promise<string> {
    const body = JSON.stringify({
      matchers: matchersOf(silence.labels),
      startsAt: new Date(silence.startsAt).toISOString(),
      endsAt: new Date(silence.endsAt).toISOString(),
      createdBy: silence.createdBy,
      comment: silence.comment,
    });
    const answer = await this.#call('POST', '/api/v2/silences', body);
    const id = (JSON.parse(answer) as { silenceID?: unknown }).silenceID;
    if (typeof id !== 'string' || id === '') throw new SilenceError('Alertmanager answered without a silence id');
    return id;
  }

  async expire(id: string): Promise<void> {
    await this.#call('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
  }

  async #call(method: 'POST' | 'DELETE', path: string, body?: string): Promise<string> {
    let response;
    try {
      response = await request(`${this.baseUrl}${path}`, {
        method,
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SilenceError(`Alertmanager ${method} ${path} failed: ${(error as Error).message}`, { cause: error });
    }
    const text = await response.body.text();
    if (response.statusCode >= 300) {
      throw new SilenceError(
        `Alertmanager ${method} ${path} answered ${response.statusCode}: ${text.slice(0, 200).trim()}`,
      );
    }
    return text;
  }
}
