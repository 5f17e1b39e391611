// Asks an OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, Ollama, vLLM) for a diagnosis, and
// answers either the validated answer or why there is none. Our own timeout, budget and cache govern each call: the
// client retries nothing, since a retry would land past the time delivery waits, and every failure (an HTTP error, a
// refusal, a cut or malformed answer) is an outcome the caller falls back from, never an exception. Diagnoses of
// the same alert state asked while one is on its way wait for that one rather than pay for a second.

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAI } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

import type { AiSettings } from '../../config/index.js';
import type { DiagnosisEvidence, Finding } from '../../model/diagnosis.js';
import { AnswerCache } from './answer-cache.js';
import { ANSWER_SCHEMA, parseAnswer, type AiAnswer } from './answer.js';
import { CallBudget } from './call-budget.js';
import { promptMessages } from './prompt.js';
import { redactedEvidence } from './redact.js';

export type AiFailureReason =
  | 'budget_exhausted'
  | 'timeout'
  | 'connection'
  | 'rate_limited'
  | 'server_error'
  | 'http_error'
  | 'refusal'
  | 'truncated'
  | 'malformed_json'
  | 'invalid_answer'
  | 'error';

export type AiOutcome =
  { ok: true; answer: AiAnswer; cached: boolean } | { ok: false; reason: AiFailureReason; detail: string };

export interface AiRequest {
  evidence: DiagnosisEvidence;
  findings: readonly Finding[];
  /** The alert state the answer is cached under; absent: not cached. */
  cacheKey?: string;
}

export interface AiDiagnoserOptions {
  settings: AiSettings;
  /** OPENAI_API_KEY; servers that need none (Ollama, vLLM) get a placeholder, as the client requires one. */
  apiKey?: string;
  now?: () => number;
  /** Answers kept, one per alert state. */
  cacheEntries?: number;
}

const DEFAULT_CACHE_ENTRIES = 1_000;
const UNUSED_API_KEY = 'not-needed';

export class AiDiagnoser {
  private readonly client: OpenAI;
  private readonly budget: CallBudget;
  private readonly cache: AnswerCache<AiAnswer>;
  /** The call on its way for each alert state (keyed like the cache). */
  private readonly inFlight = new Map<string, Promise<AiOutcome>>();
  /** Set once the server has refused `response_format: json_schema` and answered without it (mode `auto`). */
  private jsonSchemaRejected = false;

  constructor(private readonly options: AiDiagnoserOptions) {
    const { settings } = options;
    this.client = new OpenAI({
      baseURL: settings.baseUrl,
      apiKey: options.apiKey === undefined || options.apiKey === '' ? UNUSED_API_KEY : options.apiKey,
      timeout: settings.timeoutMs,
      maxRetries: 0,
    });
    this.budget = new CallBudget(settings.callsPerMinute, options.now);
    this.cache = new AnswerCache(options.cacheEntries ?? DEFAULT_CACHE_ENTRIES);
  }

  get timeoutMs(): number {
    return this.options.settings.timeoutMs;
  }

  /** The AI's answer for this alert state, or why there is none; never throws, gives up after the timeout. */
  async diagnose(request: AiRequest, signal?: AbortSignal): Promise<AiOutcome> {
    const key = request.cacheKey;
    if (key === undefined) return this.call(request, signal);
    const cached = this.cache.get(key);
    if (cached !== undefined) return { ok: true, answer: cached, cached: true };
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return joined(pending, signal);
    const call = this.call(request, signal);
    this.inFlight.set(key, call);
    try {
      return await call;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async call(request: AiRequest, signal: AbortSignal | undefined): Promise<AiOutcome> {
    if (!this.budget.tryTake()) {
      return { ok: false, reason: 'budget_exhausted', detail: `${this.options.settings.callsPerMinute} calls/min` };
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const deadline = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
    const outcome = await this.ask(request, deadline);
    if (outcome.ok && request.cacheKey !== undefined) this.cache.set(request.cacheKey, outcome.answer);
    return outcome;
  }

  private async ask(request: AiRequest, signal: AbortSignal): Promise<AiOutcome> {
    const messages = promptMessages(redactedEvidence(request.evidence, request.findings));
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: this.options.settings.model,
      messages,
      max_tokens: this.options.settings.maxTokens,
    };
    const withSchema = this.asksForSchema();
    try {
      const completion = await this.complete(withSchema ? { ...body, response_format: RESPONSE_FORMAT } : body, signal);
      return answerOf(completion);
    } catch (error) {
      if (withSchema && this.options.settings.jsonSchema === 'auto' && isBadRequest(error)) {
        return this.askWithoutSchema(body, signal, error);
      }
      return failureOf(error, signal);
    }
  }

  /**
   * A 400 to a request with `response_format: json_schema` is most often a server without structured output: ask
   * again with the prompt's instructions alone, and remember the server's answer only when that one is accepted.
   */
  private async askWithoutSchema(
    body: ChatCompletionCreateParamsNonStreaming,
    signal: AbortSignal,
    firstError: unknown,
  ): Promise<AiOutcome> {
    try {
      const completion = await this.complete(body, signal);
      this.jsonSchemaRejected = true;
      return answerOf(completion);
    } catch (error) {
      return failureOf(isBadRequest(error) ? firstError : error, signal);
    }
  }

  private asksForSchema(): boolean {
    const mode = this.options.settings.jsonSchema;
    return mode === 'on' || (mode === 'auto' && !this.jsonSchemaRejected);
  }

  private complete(body: ChatCompletionCreateParamsNonStreaming, signal: AbortSignal): Promise<ChatCompletion> {
    return this.client.chat.completions.create(body, { signal, timeout: this.timeoutMs, maxRetries: 0 });
  }
}

const RESPONSE_FORMAT = {
  type: 'json_schema',
  json_schema: { name: 'vigil_diagnosis', strict: true, schema: ANSWER_SCHEMA },
} as const;

/**
 * The outcome of a call another diagnosis of the same alert state started: its answer counts as cached (it cost no
 * call); this caller's own signal still ends its wait.
 */
async function joined(pending: Promise<AiOutcome>, signal: AbortSignal | undefined): Promise<AiOutcome> {
  const shared = pending.then((outcome): AiOutcome => (outcome.ok ? { ...outcome, cached: true } : outcome));
  if (signal === undefined) return shared;
  const aborted: AiOutcome = { ok: false, reason: 'timeout', detail: 'aborted while waiting for the same diagnosis' };
  if (signal.aborted) return aborted;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<AiOutcome>((resolve) => {
    onAbort = () => resolve(aborted);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([shared, stopped]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

function answerOf(completion: ChatCompletion): AiOutcome {
  const choice = completion.choices[0];
  if (choice === undefined) return { ok: false, reason: 'invalid_answer', detail: 'no choices in the completion' };
  if (choice.finish_reason === 'length') {
    return { ok: false, reason: 'truncated', detail: 'finish_reason length: the answer hit max_tokens' };
  }
  if (choice.finish_reason === 'content_filter') {
    return { ok: false, reason: 'refusal', detail: 'finish_reason content_filter' };
  }
  const { refusal, content } = choice.message;
  if (typeof refusal === 'string' && refusal !== '') return { ok: false, reason: 'refusal', detail: refusal };
  if (typeof content !== 'string' || content.trim() === '') {
    return { ok: false, reason: 'invalid_answer', detail: 'the answer has no content' };
  }
  const parsed = parseAnswer(content);
  return parsed.ok ? { ok: true, answer: parsed.answer, cached: false } : parsed;
}

function isBadRequest(error: unknown): boolean {
  return error instanceof APIError && error.status === 400;
}

function failureOf(error: unknown, signal: AbortSignal): AiOutcome & { ok: false } {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof APIUserAbortError || error instanceof APIConnectionTimeoutError || signal.aborted) {
    return { ok: false, reason: 'timeout', detail };
  }
  if (error instanceof APIConnectionError) return { ok: false, reason: 'connection', detail };
  if (error instanceof APIError && typeof error.status === 'number') {
    if (error.status === 429) return { ok: false, reason: 'rate_limited', detail };
    if (error.status >= 500) return { ok: false, reason: 'server_error', detail };
    return { ok: false, reason: 'http_error', detail };
  }
  return { ok: false, reason: 'error', detail };
}
