import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, JsonPathSyntaxError, parseJsonPath } from '../../../src/probe/json-path.js';

const document = {
  status: 'ok',
  checks: [
    { name: 'db', healthy: true },
    { name: 'cache', healthy: false },
  ],
  'dotted.key': 1,
  "it's": 'quoted',
  nested: { empty: null, zero: 0 },
};

describe('parseJsonPath', () => {
  it.each([
    ['$', []],
    ['$.status', [{ kind: 'key', key: 'status' }]],
    [
      '$.checks[1].name',
      [
        { kind: 'key', key: 'checks' },
        { kind: 'index', index: 1 },
        { kind: 'key', key: 'name' },
      ],
    ],
    ["$['dotted.key']", [{ kind: 'key', key: 'dotted.key' }]],
    ['$["dotted.key"]', [{ kind: 'key', key: 'dotted.key' }]],
    ["$['it\\'s']", [{ kind: 'key', key: "it's" }]],
    [
      '$[0][2]',
      [
        { kind: 'index', index: 0 },
        { kind: 'index', index: 2 },
      ],
    ],
  ])('parses %s', (path, segments) => {
    expect(parseJsonPath(path)).toEqual(segments);
  });

  it.each([
    ['status', 'must start with $'],
    ['$.', 'expected a key after "." at position 1'],
    ['$..status', 'expected a key after "." at position 1'],
    ['$[*]', "expected [index] or ['key'] at position 1"],
    ['$[-1]', "expected [index] or ['key'] at position 1"],
    ['$[1', "expected [index] or ['key'] at position 1"],
    ["$['open", "unterminated ['key'] at position 1"],
    ['$status', 'unexpected "s" at position 1'],
  ])('rejects %s', (path, detail) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathSyntaxError);
    expect(() => parseJsonPath(path)).toThrow(`invalid JSONPath ${JSON.stringify(path)}: ${detail}`);
  });
});

describe('evaluateJsonPath', () => {
  it.each([
    ['$', document],
    ['$.status', 'ok'],
    ['$.checks[0].name', 'db'],
    ['$.checks[1].healthy', false],
    ["$['dotted.key']", 1],
    ["$['it\\'s']", 'quoted'],
    ['$.nested.empty', null],
    ['$.nested.zero', 0],
  ])('finds %s', (path, value) => {
    expect(evaluateJsonPath(document, path)).toEqual({ found: true, value });
  });

  it.each([
    ['$.missing'],
    ['$.checks[2]'],
    ['$.status.length'],
    ['$.checks.name'],
    ['$.nested[0]'],
    ['$.nested.empty.deeper'],
    ['$.toString'],
  ])('does not find %s', (path) => {
    expect(evaluateJsonPath(document, path)).toEqual({ found: false });
  });

  it('looks up a top-level array', () => {
    expect(evaluateJsonPath([10, 20], '$[1]')).toEqual({ found: true, value: 20 });
  });
});
