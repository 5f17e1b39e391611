// The AI diagnosis with the real openai client against a local chat-completions server: what the request carries
// (the evidence, no secret), a valid answer used on top of the rules, and every way an answer can fail (slow, 500,
// 429, cut at max_tokens, refused, malformed, off-schema) falling back to the rule diagnosis within the timeout.
// The budget and the cache are proven by the requests the server did or did not see.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { AiSettings } from '../../../src/config/index.js';
import { AiDiagnoser } from '../../../src/diagnosis/ai/ai-diagnoser.js';
import { diagnoseWithAi, type RuleDiagnosis } from '../../../src/diagnosis/ai/ai-diagnosis.js';
import type { DiagnosisEvidence } from '../../../src/model/diagnosis.js';
import { apiError, ChatCompletionsServer, completion } from '../../helpers/chat-completions-server.js';

const SECOND = 1000;
const START = Date.UTC(2026, 0, 10, 9, 0);

/** Secrets planted in the evidence; none may reach the server. */
const PLANTED = {
  urlPassword: 'PlantedUrlPassw0rd',
  queryKey: 'PlantedQueryKey123',
  bearer: 'PlantedBearerToken42',
  labelToken: 'PlantedLabelToken99',
  jwtLabel: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.PlantedJwtSignature',
  dbPassword: 'PlantedDbPassword7',
};

const CHECK_URL = `https://deploy:${PLANTED.urlPassword}@api.example.com/health?api_key=${PLANTED.queryKey}`;

const evidence: DiagnosisEvidence = {
  alert: {
    alertname: 'VigilCheckDown',
    severity: 'critical',
    labels: {
      alertname: 'VigilCheckDown',
      check: 'api_root',
      severity: 'critical',
      auth_token: PLANTED.labelToken,
      release: PLANTED.jwtLabel,
    },
    annotations: {
      summary: 'API Root is down',
      description: `Reproduce: curl -H 'Authorization: Bearer ${PLANTED.bearer}' https://api.example.com/health`,
    },
    startsAt: START,
  },
  checks: [
    {
      checkId: 'api_root',
      name: 'API Root',
      component: 'backend',
      service: 'api',
      group: 'critical',
      target: { type: 'http', host: 'api.example.com', port: 443, url: CHECK_URL },
      recent: [
        { at: START - 120 * SECOND, status: 'healthy', message: 'OK', durationMs: 84, httpStatus: 200, phases: {} },
        {
          at: START - 60 * SECOND,
          status: 'down',
          reason: 'status_code',
          message: `HTTP 503 from ${CHECK_URL}`,
          durationMs: 41,
          httpStatus: 503,
          phases: { dns: 1, connect: 3, tls: 9, processing: 25, transfer: 3 },
        },
      ],
      lastHealthyAt: START - 120 * SECOND,
      incidents: [],
      coFailing: [],
      maintenance: [],
    },
  ],
  sources: [{ source: 'store', available: true, note: 'results of the last 60 min' }],
  at: START,
};

const rules: RuleDiagnosis = {
  findings: [
    {
      rule: 'deployment',
      summary: 'api_root answers HTTP 503 after a long healthy run',
      probableCause: 'A deployment of api.example.com may have broken it',
      evidence: [
        'healthy until 08:58 UTC, HTTP 503 since 08:59 UTC',
        `db: postgres://app:${PLANTED.dbPassword}@db:5432`,
      ],
      recommendations: ['Look at the deploy log of api.example.com around 08:58 UTC'],
      confidence: 'medium',
    },
  ],
  diagnosis: {
    summary: 'api_root answers HTTP 503 after a long healthy run',
    probable_cause: 'A deployment of api.example.com may have broken it',
    evidence: ['healthy until 08:58 UTC, HTTP 503 since 08:59 UTC'],
    recommendations: ['Look at the deploy log of api.example.com around 08:58 UTC'],
    confidence: 'medium',
    source: 'rules',
  },
};

const VALID_ANSWER = {
  summary: 'The API on api.example.com returns 503 right after a healthy run, likely a bad deployment.',
  probable_cause: 'The new release of the api service fails its upstream: 503 began one minute after 200s.',
  evidence: ['503 answered in 41 ms: the proxy answered, not a timeout'],
  recommendations: ['Roll back the latest api release', 'Look at the deploy log of api.example.com around 08:58 UTC'],
  confidence: 'medium',
};

const server = new ChatCompletionsServer();
let baseUrl = '';

beforeAll(async () => {
  baseUrl = await server.start();
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

function settings(overrides: Partial<AiSettings> = {}): AiSettings {
  return {
    baseUrl,
    model: 'test-model',
    timeoutMs: 1_000,
    maxTokens: 800,
    callsPerMinute: 30,
    jsonSchema: 'auto',
    ...overrides,
  };
}

function diagnoser(overrides: Partial<AiSettings> = {}, now?: () => number): AiDiagnoser {
  return new AiDiagnoser({ settings: settings(overrides), apiKey: 'sk-test-key', ...(now ? { now } : {}) });
}

const answering =
  (content: string, options: Parameters<typeof completion>[1] = {}) =>
  () => ({
    status: 200,
    body: completion(content, options),
  });

describe('the request', () => {
  it('carries the evidence, the rule findings, the schema and max_tokens, and no planted secret', async () => {
    server.script = answering(JSON.stringify(VALID_ANSWER));
    await diagnoseWithAi(evidence, rules, { diagnoser: diagnoser() });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    const unredacted = JSON.stringify([evidence, rules]);
    for (const secret of Object.values(PLANTED)) expect(unredacted).toContain(secret);
    for (const secret of Object.values(PLANTED)) expect(request!.rawBody).not.toContain(secret);
    expect(request!.headers.authorization).toBe('Bearer sk-test-key');
    expect(request!.json).toMatchObject({
      model: 'test-model',
      max_tokens: 800,
      response_format: { type: 'json_schema', json_schema: { name: 'vigil_diagnosis', strict: true } },
    });
    const messages = request!.json!['messages'] as Array<{ role: string; content: string }>;
    expect(messages.map((message) => message.role)).toEqual(['system', 'user']);
    const sent = JSON.parse(messages[1]!.content.replace(/^Evidence:\n/, '')) as Record<string, unknown>;
    expect(sent).toMatchObject({
      alert: { alertname: 'VigilCheckDown', labels: { check: 'api_root', auth_token: '[redacted]' } },
      checks: [
        {
          check_id: 'api_root',
          target: { host: 'api.example.com', url: 'https://api.example.com/health?api_key=[redacted]' },
          recent_results: [{ status: 'healthy' }, { status: 'down', http_status: 503, reason: 'status_code' }],
        },
      ],
      findings: [{ rule: 'deployment', probable_cause: 'A deployment of api.example.com may have broken it' }],
    });
  });
});

describe('a valid answer', () => {
  it('is used on top of the rules: AI narrative, rule evidence first, AI next steps first', async () => {
    server.script = answering(JSON.stringify(VALID_ANSWER));
    const diagnosis = await diagnoseWithAi(evidence, rules, { diagnoser: diagnoser() });
    expect(diagnosis).toEqual({
      summary: VALID_ANSWER.summary,
      probable_cause: VALID_ANSWER.probable_cause,
      evidence: [...rules.diagnosis.evidence, ...VALID_ANSWER.evidence],
      recommendations: [
        'Roll back the latest api release',
        'Look at the deploy log of api.example.com around 08:58 UTC',
      ],
      confidence: 'medium',
      source: 'ai',
    });
  });

  it('is read from a code fence when the server ignores structured output', async () => {
    server.script = answering(`\`\`\`json\n${JSON.stringify(VALID_ANSWER)}\n\`\`\``);
    const diagnosis = await diagnoseWithAi(evidence, rules, { diagnoser: diagnoser({ jsonSchema: 'off' }) });
    expect(diagnosis.source).toBe('ai');
    expect(server.requests[0]!.json).not.toHaveProperty('response_format');
  });
});

describe('falls back to the rules', () => {
  const failures: Array<[string, () => { status: number; body: unknown; delayMs?: number }, string]> = [
    [
      'a slow answer',
      () => ({ status: 200, body: completion(JSON.stringify(VALID_ANSWER)), delayMs: 5_000 }),
      'timeout',
    ],
    ['a 500', () => ({ status: 500, body: apiError('upstream exploded', 'server_error') }), 'server_error'],
    ['a 429', () => ({ status: 429, body: apiError('slow down', 'rate_limit_exceeded') }), 'rate_limited'],
    [
      'an answer cut at max_tokens',
      answering('{"summary": "The API on api.ex', { finishReason: 'length' }),
      'truncated',
    ],
    ['a refusal', answering('', { refusal: 'I cannot help with that.' }), 'refusal'],
    ['malformed JSON', answering('The API is down because of a deployment.'), 'malformed_json'],
    ['schema-invalid JSON', answering(JSON.stringify({ ...VALID_ANSWER, confidence: 'certain' })), 'invalid_answer'],
    ['JSON with a key missing', answering(JSON.stringify({ summary: 'down' })), 'invalid_answer'],
  ];

  it.each(failures)('on %s, within the timeout, asking once', async (_case, script, reason) => {
    server.script = script;
    const started = performance.now();
    const diagnosis = await diagnoseWithAi(evidence, rules, { diagnoser: diagnoser() });
    const elapsed = performance.now() - started;

    expect(diagnosis).toEqual({ ...rules.diagnosis, source: 'rules', fallback_reason: reason });
    expect(server.requests).toHaveLength(1);
    expect(elapsed).toBeLessThan(1_000 + 750);
  });

  it('when the server cannot be reached', async () => {
    const unreachable = new AiDiagnoser({ settings: settings({ baseUrl: 'http://127.0.0.1:9/v1' }) });
    const diagnosis = await diagnoseWithAi(evidence, rules, { diagnoser: unreachable });
    expect(diagnosis).toMatchObject({ source: 'rules', fallback_reason: 'connection' });
  });

  it('when the budget of calls is spent, without asking the server', async () => {
    server.script = answering(JSON.stringify(VALID_ANSWER));
    const frozen = diagnoser({ callsPerMinute: 2 }, () => START);
    const sources: string[] = [];
    const reasons: Array<string | undefined> = [];
    for (let alert = 0; alert < 3; alert += 1) {
      const diagnosis = await diagnoseWithAi(evidence, rules, { diagnoser: frozen, cacheKey: `alert-${alert}` });
      sources.push(diagnosis.source);
      reasons.push(diagnosis.fallback_reason);
    }
    expect(sources).toEqual(['ai', 'ai', 'rules']);
    expect(reasons).toEqual([undefined, undefined, 'budget_exhausted']);
    expect(server.requests).toHaveLength(2);
  });

  it('and tells of each failure with its detail', async () => {
    server.script = () => ({ status: 503, body: apiError('model is loading', 'server_error') });
    const told: string[] = [];
    await diagnoseWithAi(evidence, rules, {
      diagnoser: diagnoser(),
      onFailure: (failure) => told.push(`${failure.reason}: ${failure.detail}`),
    });
    expect(told).toEqual([expect.stringMatching(/^server_error: 503 .*model is loading/)]);
  });
});

describe('the cache', () => {
  it('answers the same alert state again without asking the server', async () => {
    server.script = answering(JSON.stringify(VALID_ANSWER));
    const cached = diagnoser();
    const first = await diagnoseWithAi(evidence, rules, { diagnoser: cached, cacheKey: 'fp-1:firing:2026-01-10' });
    const second = await diagnoseWithAi(evidence, rules, { diagnoser: cached, cacheKey: 'fp-1:firing:2026-01-10' });
    expect(second).toEqual(first);
    expect(second.source).toBe('ai');
    expect(server.requests).toHaveLength(1);

    await diagnoseWithAi(evidence, rules, { diagnoser: cached, cacheKey: 'fp-1:resolved:2026-01-10' });
    expect(server.requests).toHaveLength(2);
  });

  it('shares one call between diagnoses of the same alert state asked at once', async () => {
    server.script = () => ({ status: 200, body: completion(JSON.stringify(VALID_ANSWER)), delayMs: 200 });
    const shared = diagnoser({ callsPerMinute: 2 });
    const same = { diagnoser: shared, cacheKey: 'fp-3:firing:2026-01-10' };
    const diagnoses = await Promise.all([
      diagnoseWithAi(evidence, rules, same),
      diagnoseWithAi(evidence, rules, same),
      diagnoseWithAi(evidence, rules, same),
      diagnoseWithAi(evidence, rules, { diagnoser: shared, cacheKey: 'fp-4:firing:2026-01-10' }),
    ]);
    expect(diagnoses.map((diagnosis) => diagnosis.source)).toEqual(['ai', 'ai', 'ai', 'ai']);
    expect(diagnoses[1]).toEqual(diagnoses[0]);
    // One request per alert state, and only those two taken from a budget of two.
    expect(server.requests).toHaveLength(2);
  });

  it('lets a diagnosis waiting on the shared call stop at its own signal', async () => {
    server.script = () => ({ status: 200, body: completion(JSON.stringify(VALID_ANSWER)), delayMs: 300 });
    const shared = diagnoser();
    const first = diagnoseWithAi(evidence, rules, { diagnoser: shared, cacheKey: 'fp-6' });
    const started = Date.now();
    const impatient = await diagnoseWithAi(evidence, rules, {
      diagnoser: shared,
      cacheKey: 'fp-6',
      signal: AbortSignal.timeout(50),
    });
    expect(impatient.fallback_reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(250);
    expect((await first).source).toBe('ai');
    expect(server.requests).toHaveLength(1);
  });

  it('shares a failure too, and the next diagnosis asks again', async () => {
    server.script = () => ({ status: 500, body: apiError('boom', 'server_error'), delayMs: 100 });
    const shared = diagnoser();
    const same = { diagnoser: shared, cacheKey: 'fp-5' };
    const failed = await Promise.all([diagnoseWithAi(evidence, rules, same), diagnoseWithAi(evidence, rules, same)]);
    expect(failed.map((diagnosis) => diagnosis.fallback_reason)).toEqual(['server_error', 'server_error']);
    expect(server.requests).toHaveLength(1);
    server.script = answering(JSON.stringify(VALID_ANSWER));
    expect((await diagnoseWithAi(evidence, rules, same)).source).toBe('ai');
    expect(server.requests).toHaveLength(2);
  });

  it('keeps no failure', async () => {
    const cached = diagnoser();
    server.script = () => ({ status: 500, body: apiError('boom', 'server_error') });
    await diagnoseWithAi(evidence, rules, { diagnoser: cached, cacheKey: 'fp-2' });
    server.script = answering(JSON.stringify(VALID_ANSWER));
    const retried = await diagnoseWithAi(evidence, rules, { diagnoser: cached, cacheKey: 'fp-2' });
    expect(retried.source).toBe('ai');
    expect(server.requests).toHaveLength(2);
  });
});

describe('a server without structured output', () => {
  it('is asked again without json_schema, and not asked with it any more', async () => {
    server.script = (request) =>
      request.json?.['response_format'] === undefined
        ? { status: 200, body: completion(JSON.stringify(VALID_ANSWER)) }
        : { status: 400, body: apiError("response_format 'json_schema' is not supported") };
    const plain = diagnoser();
    expect((await diagnoseWithAi(evidence, rules, { diagnoser: plain })).source).toBe('ai');
    expect((await diagnoseWithAi(evidence, rules, { diagnoser: plain })).source).toBe('ai');
    expect(server.requests.map((request) => request.json?.['response_format'] !== undefined)).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('with json_schema on, is a failure', async () => {
    server.script = () => ({ status: 400, body: apiError("response_format 'json_schema' is not supported") });
    const diagnosis = await diagnoseWithAi(evidence, rules, { diagnoser: diagnoser({ jsonSchema: 'on' }) });
    expect(diagnosis).toMatchObject({ source: 'rules', fallback_reason: 'http_error' });
    expect(server.requests).toHaveLength(1);
  });

  it('answering 400 to both requests keeps asking with json_schema next time', async () => {
    server.script = () => ({ status: 400, body: apiError('model not found') });
    const strict = diagnoser();
    await diagnoseWithAi(evidence, rules, { diagnoser: strict });
    await diagnoseWithAi(evidence, rules, { diagnoser: strict });
    expect(server.requests.map((request) => request.json?.['response_format'] !== undefined)).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});

describe('without AI configured', () => {
  it('answers the rule diagnosis as it is', async () => {
    expect(await diagnoseWithAi(evidence, rules, {})).toBe(rules.diagnosis);
    expect(server.requests).toHaveLength(0);
  });
});
