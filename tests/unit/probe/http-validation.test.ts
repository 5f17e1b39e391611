import { describe, expect, it } from 'vitest';
import type { BodyValidation, HttpValidation } from '../../../src/model/check.js';
import {
  checkBody,
  checkHeaders,
  checkJsonPath,
  checkStatus,
  validateResponse,
  type ObservedResponse,
} from '../../../src/probe/http-validation.js';

function bodyRules(overrides: Partial<BodyValidation> = {}): BodyValidation {
  return { type: 'text', containsAny: [], containsAll: [], notContains: [], matches: [], jsonPath: [], ...overrides };
}

describe('checkStatus', () => {
  it.each([
    [200, [], undefined],
    [204, [], undefined],
    [299, [], undefined],
    [301, [], 'HTTP 301, expected 2xx'],
    [500, [200], 'HTTP 500, expected 200'],
    [302, [302], undefined],
    [404, [200, 204], 'HTTP 404, expected 200 or 204'],
    [418, [200, 201, 204], 'HTTP 418, expected one of 200, 201, 204'],
    [201, [200, 201, 204], undefined],
  ])('HTTP %i against %j', (status, accepted, message) => {
    const failure = checkStatus(status, accepted);
    expect(failure?.message).toBe(message);
    if (message) expect(failure?.reason).toBe('status_code');
  });
});

describe('checkHeaders', () => {
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'set-cookie': ['a=1', 'b=2'],
    'x-powered-by': 'Express',
  };

  it.each([
    [{ 'content-type': 'application/json.*' }, [], undefined],
    [{ 'Content-Type': 'application/json.*' }, [], undefined],
    [
      { 'content-type': 'application/json' },
      [],
      'header content-type is "application/json; charset=utf-8", expected to match application/json',
    ],
    [
      { 'content-type': 'APPLICATION/JSON.*' },
      [],
      'header content-type is "application/json; charset=utf-8", expected to match APPLICATION/JSON.*',
    ],
    [
      { 'content-type': 'json' },
      [],
      'header content-type is "application/json; charset=utf-8", expected to match json',
    ],
    [{ 'set-cookie': 'b=\\d' }, [], undefined],
    [{ 'x-request-id': '.+' }, [], 'header x-request-id is missing, expected to match .+'],
    [{}, ['x-powered-by'], 'header x-powered-by is present ("Express"), expected absent'],
    [{}, ['X-Powered-By'], 'header x-powered-by is present ("Express"), expected absent'],
    [{}, ['server'], undefined],
  ])('%j, absent %j', (expected, absent, message) => {
    const failure = checkHeaders(headers, expected, absent);
    expect(failure?.message).toBe(message);
    if (message) expect(failure?.reason).toBe('header');
  });

  it('truncates a long observed value to about 100 characters', () => {
    const failure = checkHeaders({ link: 'x'.repeat(500) }, { link: 'y' }, []);
    expect(failure?.message.length).toBeLessThan(160);
    expect(failure?.message).toContain('…');
  });
});

describe('checkBody', () => {
  const body = '{"status":"ok","version":"1.2.3"}';

  it.each([
    [bodyRules({ containsAny: ['version', 'nope'] }), undefined],
    [
      bodyRules({ containsAny: ['nope', 'never'] }),
      `body contains none of "nope", "never" (body: ${JSON.stringify(body)})`,
    ],
    [bodyRules({ containsAll: ['status', 'version'] }), undefined],
    [
      bodyRules({ containsAll: ['status', 'uptime'] }),
      `body does not contain "uptime" (body: ${JSON.stringify(body)})`,
    ],
    [bodyRules({ notContains: ['error'] }), undefined],
    [bodyRules({ notContains: ['"ok"'] }), `body contains "\\"ok\\"" (body: ${JSON.stringify(body)})`],
    [bodyRules({ matches: ['"version":"\\d+\\.\\d+'] }), undefined],
    [bodyRules({ matches: ['^ok$'] }), `body does not match /^ok$/ (body: ${JSON.stringify(body)})`],
  ])('text rule %#', (rules, message) => {
    const failure = checkBody(body, rules);
    expect(failure?.message).toBe(message);
    if (message) expect(failure?.reason).toBe('body');
  });

  it('fails a json body that does not parse, with the parser message', () => {
    const failure = checkBody('{"status": ', bodyRules({ type: 'json' }));
    expect(failure?.reason).toBe('body');
    expect(failure?.message).toMatch(/^response is not valid JSON: .+/);
  });

  it('accepts a json body that parses', () => {
    expect(checkBody(body, bodyRules({ type: 'json' }))).toBeUndefined();
  });

  it('treats a JSONPath assertion as a JSON body even when the type says text', () => {
    const failure = checkBody('<html>', bodyRules({ jsonPath: [{ path: '$.status' }] }));
    expect(failure?.reason).toBe('body');
  });

  it('runs JSONPath assertions in order and reports the first failure', () => {
    const rules = bodyRules({
      type: 'json',
      jsonPath: [{ path: '$.version', matches: '^1\\.' }, { path: '$.status', equals: 'up' }, { path: '$.gone' }],
    });
    expect(checkBody(body, rules)).toEqual({ reason: 'json_path', message: '$.status is "ok", expected "up"' });
  });

  it('cuts the body snippet in a message to about 100 characters', () => {
    const failure = checkBody('a'.repeat(10_000), bodyRules({ containsAll: ['b'] }));
    expect(failure?.message.length).toBeLessThan(150);
  });
});

describe('checkJsonPath', () => {
  const document = { status: 'degraded', count: 3, ok: false, items: [{ id: 1 }], meta: { region: 'eu' }, none: null };

  it.each([
    [{ path: '$.status', equals: 'degraded' }, undefined],
    [{ path: '$.status', equals: 'ok' }, '$.status is "degraded", expected "ok"'],
    [{ path: '$.count', equals: 3 }, undefined],
    [{ path: '$.count', equals: '3' }, '$.count is 3, expected "3"'],
    [{ path: '$.ok', equals: true }, '$.ok is false, expected true'],
    [{ path: '$.meta', equals: { region: 'eu' } }, undefined],
    [{ path: '$.meta', equals: { region: 'us' } }, '$.meta is {"region":"eu"}, expected {"region":"us"}'],
    [{ path: '$.items', equals: [{ id: 1 }] }, undefined],
    [{ path: '$.none', equals: null }, undefined],
    [{ path: '$.none' }, undefined],
    [{ path: '$.items[0].id' }, undefined],
    [{ path: '$.missing' }, '$.missing not found'],
    [{ path: '$.missing', equals: 'ok' }, '$.missing not found, expected "ok"'],
    [{ path: '$.items[1]', matches: '.' }, '$.items[1] not found, expected to match .'],
    [{ path: '$.status', matches: '^deg' }, undefined],
    [{ path: '$.status', matches: '^ok$' }, '$.status is "degraded", expected to match ^ok$'],
    [{ path: '$.count', matches: '^\\d+$' }, undefined],
    [{ path: '$.meta', matches: '"region":"eu"' }, undefined],
  ])('%j', (assertion, message) => {
    const failure = checkJsonPath(document, assertion);
    expect(failure?.message).toBe(message);
    if (message) expect(failure?.reason).toBe('json_path');
  });

  it('truncates a long observed value', () => {
    const failure = checkJsonPath({ text: 'z'.repeat(1_000) }, { path: '$.text', equals: 'short' });
    expect(failure?.message.length).toBeLessThan(140);
  });
});

describe('validateResponse', () => {
  const response: ObservedResponse = {
    status: 500,
    headers: { 'content-type': 'text/plain' },
    body: 'internal error',
  };
  const rules: HttpValidation = {
    statusCodes: [200],
    headers: { 'content-type': 'application/json' },
    headersAbsent: [],
    body: bodyRules({ type: 'json' }),
  };

  it('reports the status before headers and body', () => {
    expect(validateResponse(response, rules)?.reason).toBe('status_code');
  });

  it('reports headers before the body', () => {
    expect(validateResponse({ ...response, status: 200 }, rules)?.reason).toBe('header');
  });

  it('reports the body last', () => {
    const failure = validateResponse(
      { ...response, status: 200, headers: { 'content-type': 'application/json' } },
      rules,
    );
    expect(failure?.reason).toBe('body');
  });

  it('passes a response that meets every rule', () => {
    const good = { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
    expect(validateResponse(good, rules)).toBeUndefined();
  });

  it('turns a broken pattern into an error result instead of throwing', () => {
    const broken = { ...rules, statusCodes: [], headers: { 'content-type': '(' }, body: undefined };
    const failure = validateResponse({ ...response, status: 200 }, broken);
    expect(failure?.reason).toBe('error');
    expect(failure?.message).toMatch(/^invalid validation rule: Invalid regular expression/);
  });

  it('turns a broken JSONPath into an error result instead of throwing', () => {
    const broken = { ...rules, statusCodes: [], headers: {}, body: bodyRules({ jsonPath: [{ path: 'status' }] }) };
    const failure = validateResponse({ ...response, status: 200, body: '{}' }, broken);
    expect(failure).toEqual({
      reason: 'error',
      message: 'invalid validation rule: invalid JSONPath "status": must start with $',
    });
  });
});
