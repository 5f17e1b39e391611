// The evidence reads of the store (EvidenceStore), answered by the prober's HTTP API (CONTRACT section 5) for a
// receiver that shares no store with it: a check's results, its incidents, when its history starts, and which checks
// the prober runs. Every request is bounded: a deadline, a response size cap, a `limit` on every list. Anything
// that is not the answer the API documents (a refused connection, a status other than 200, a cut or oversized body,
// JSON of another shape) throws a ProberApiError saying which, never half-parsed data.

import { request, type Dispatcher } from 'undici';
import { CHECK_TYPES } from '../../config/index.js';
import type { CheckType } from '../../model/check.js';
import type { CheckStatus, FailureReason } from '../../model/result.js';
import type { Incident, IncidentQuery, ResultQuery, StoredResult } from '../../store/store.js';
import type { EvidenceStore } from './from-store.js';

export class ProberApiError extends Error {}

/** A check as `GET /api/v1/checks` describes it: who it is, not where it points (the API does not serve targets). */
export interface ProberCheck {
  id: string;
  name: string;
  type: CheckType;
  group: string;
  component: string;
  service: string;
}

export interface ProberApiStoreOptions {
  /** The prober's base URL, without a trailing slash. */
  baseUrl: string;
  /** Sent as a bearer token when set (VIGIL_ADMIN_TOKEN), for a prober or a proxy that asks for it. */
  adminToken?: string;
  dispatcher: Dispatcher;
  /** Aborts every request still running: the deadline of one evidence gathering. */
  signal: AbortSignal;
  /** Largest response body read; a larger one is refused. */
  maxResponseBytes: number;
}

export class ProberApiStore implements EvidenceStore {
  constructor(private readonly options: ProberApiStoreOptions) {}

  async checks(): Promise<ProberCheck[]> {
    const body = field(await this.get('/api/v1/checks', {}), 'checks', 'the answer');
    return list(body, 'checks').map(proberCheck);
  }

  async listResults(checkId: string, query: ResultQuery = {}): Promise<StoredResult[]> {
    const body = await this.get(`/api/v1/checks/${encodeURIComponent(checkId)}/results`, {
      since: query.since,
      until: query.until,
      limit: query.limit,
    });
    return list(field(body, 'results', 'the answer'), 'results').map((item) => storedResult(checkId, item));
  }

  async firstResultAt(checkIds: readonly string[]): Promise<number | undefined> {
    const firsts = await Promise.all(
      checkIds.map(async (checkId) => {
        const body = await this.get(`/api/v1/checks/${encodeURIComponent(checkId)}/results`, { limit: 1 });
        return optionalTime(field(body, 'first_result_at', 'the answer'), 'first_result_at');
      }),
    );
    const known = firsts.filter((first): first is number => first !== undefined);
    return known.length === 0 ? undefined : Math.min(...known);
  }

  async listIncidents(query: IncidentQuery = {}): Promise<Incident[]> {
    if (query.checkIds !== undefined) throw new ProberApiError('the prober API reads incidents of one check at a time');
    const body = await this.get('/api/v1/incidents', {
      check: query.checkId,
      since: query.since,
      state: query.openOnly === true ? 'open' : undefined,
      limit: query.limit,
    });
    return list(field(body, 'incidents', 'the answer'), 'incidents').map(incident);
  }

  /** GET a JSON object; times go as ISO 8601 (the API reads bare digits as seconds or milliseconds by length). */
  private async get(path: string, query: Record<string, string | number | undefined>): Promise<unknown> {
    const url = new URL(`${this.options.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      const text = (name === 'since' || name === 'until') && typeof value === 'number' ? iso(value) : String(value);
      url.searchParams.set(name, text);
    }
    const { adminToken, dispatcher, signal } = this.options;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        headers: {
          accept: 'application/json',
          ...(adminToken === undefined || adminToken === '' ? {} : { authorization: `Bearer ${adminToken}` }),
        },
        dispatcher,
        signal,
      });
    } catch (error) {
      throw new ProberApiError(`${path}: ${networkReason(error, signal)}`, { cause: error });
    }
    const text = await this.boundedText(path, response);
    if (response.statusCode !== 200) {
      throw new ProberApiError(`${path} answered HTTP ${response.statusCode}${reasonOf(text)}`);
    }
    try {
      const body: unknown = JSON.parse(text);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
      return body;
    } catch {
      throw new ProberApiError(`${path} answered something other than a JSON object`);
    }
  }

  private async boundedText(path: string, response: Dispatcher.ResponseData): Promise<string> {
    const { maxResponseBytes, signal } = this.options;
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        length += chunk.length;
        if (length > maxResponseBytes) {
          response.body.destroy();
          throw new ProberApiError(`${path} answered more than ${maxResponseBytes} bytes`);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof ProberApiError) throw error;
      throw new ProberApiError(`${path}: the answer was cut short (${networkReason(error, signal)})`, { cause: error });
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

const STATUSES: readonly string[] = ['healthy', 'degraded', 'down', 'unknown'] satisfies CheckStatus[];

function proberCheck(item: unknown): ProberCheck {
  const what = 'a check';
  const type = text(field(item, 'type', what), 'type');
  if (!(CHECK_TYPES as readonly string[]).includes(type)) throw junk(`type \`${type}\` is not a check type`);
  return {
    id: text(field(item, 'id', what), 'id'),
    name: text(field(item, 'name', what), 'name'),
    type: type as CheckType,
    group: text(field(item, 'group', what), 'group'),
    component: text(field(item, 'component', what), 'component'),
    service: text(field(item, 'service', what), 'service'),
  };
}

function storedResult(checkId: string, item: unknown): StoredResult {
  const what = 'a result';
  const status = text(field(item, 'status', what), 'status');
  if (!STATUSES.includes(status)) throw junk(`status \`${status}\` is not a check status`);
  const reason = optionalText(field(item, 'reason', what), 'reason');
  const httpStatus = optionalNumber(field(item, 'http_status', what), 'http_status');
  const certExpiresAt = optionalTime(field(item, 'cert_expires_at', what), 'cert_expires_at');
  return {
    checkId,
    status: status as CheckStatus,
    ...(reason === undefined ? {} : { reason: reason as FailureReason }),
    message: text(field(item, 'message', what), 'message'),
    startedAt: time(field(item, 'started_at', what), 'started_at'),
    finishedAt: time(field(item, 'finished_at', what), 'finished_at'),
    durationMs: number(field(item, 'duration_ms', what), 'duration_ms'),
    phases: phases(field(item, 'phases_ms', what)),
    ...(httpStatus === undefined ? {} : { httpStatus }),
    // The API writes the certificate's expiry as a time; the store keeps it in Unix seconds.
    ...(certExpiresAt === undefined ? {} : { certExpiresAt: Math.round(certExpiresAt / 1000) }),
    consecutiveFailures: number(field(item, 'consecutive_failures', what), 'consecutive_failures'),
    inMaintenance: field(item, 'in_maintenance', what) === true,
  };
}

function incident(item: unknown): Incident {
  const what = 'an incident';
  const openedAt = time(field(item, 'opened_at', what), 'opened_at');
  const closedAt = optionalTime(field(item, 'closed_at', what), 'closed_at');
  return {
    id: text(field(item, 'id', what), 'id'),
    checkId: text(field(item, 'check', what), 'check'),
    openedAt,
    ...(closedAt === undefined ? {} : { closedAt }),
    firstReason: text(field(item, 'first_reason', what), 'first_reason'),
    firstMessage: text(field(item, 'first_message', what), 'first_message'),
    lastMessage: text(field(item, 'last_message', what), 'last_message'),
    failures: number(field(item, 'failures', what), 'failures'),
    // Not served by the API, and not read by the evidence: the latest time the incident is known to have lasted.
    lastFailureAt: closedAt ?? openedAt,
  };
}

function phases(value: unknown): StoredResult['phases'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw junk('phases_ms is not an object');
  return Object.fromEntries(Object.entries(value).map(([phase, ms]) => [phase, number(ms, `phases_ms.${phase}`)]));
}

function field(value: unknown, name: string, what: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw junk(`${what} is not an object`);
  if (!(name in value)) throw junk(`${what} has no \`${name}\``);
  return (value as Record<string, unknown>)[name];
}

function list(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw junk(`${name} is not a list`);
  return value;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw junk(`${name} is not a string`);
  return value;
}

function optionalText(value: unknown, name: string): string | undefined {
  return value === null ? undefined : text(value, name);
}

function number(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw junk(`${name} is not a number`);
  return value;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  return value === null ? undefined : number(value, name);
}

function time(value: unknown, name: string): number {
  const at = Date.parse(text(value, name));
  if (Number.isNaN(at)) throw junk(`${name} is not a time`);
  return at;
}

function optionalTime(value: unknown, name: string): number | undefined {
  return value === null ? undefined : time(value, name);
}

function junk(detail: string): ProberApiError {
  return new ProberApiError(`the answer is not what the API serves: ${detail}`);
}

function iso(ms: number): string {
  // The store's bounds go beyond what a Date holds (Number.MAX_SAFE_INTEGER): clamp to the dates that exist.
  return new Date(Math.max(-8.64e15, Math.min(8.64e15, ms))).toISOString();
}

/** The start of an error body on one line, as `: unknown check`; bodies can be pages of HTML. */
function reasonOf(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return line === '' ? '' : `: ${line}`;
}

/** `connection refused (ECONNREFUSED)`, `timed out`: the error's code, not its message (which can quote the URL). */
function networkReason(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  return `network error${code ? ` (${code})` : error instanceof Error ? ` (${error.name})` : ''}`;
}
