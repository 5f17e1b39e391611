// A deliberately small JSONPath subset for response assertions: `$`, `.key`, `['key']` / `["key"]` and `[index]`,
// chained. No wildcards, filters or recursion: one path names at most one value, so an assertion is unambiguous.
// The config loader can call parseJsonPath to reject a bad path at load time with the same message.

export type JsonPathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number };

export class JsonPathSyntaxError extends Error {
  constructor(path: string, detail: string) {
    super(`invalid JSONPath ${JSON.stringify(path)}: ${detail}`);
    this.name = 'JsonPathSyntaxError';
  }
}

export type JsonPathLookup = { found: true; value: unknown } | { found: false };

const DOT_KEY = /^[^.[\]\s'"]+/;

/** Parses a path into segments; throws JsonPathSyntaxError naming the problem and its position. */
export function parseJsonPath(path: string): JsonPathSegment[] {
  if (!path.startsWith('$')) throw new JsonPathSyntaxError(path, 'must start with $');
  const segments: JsonPathSegment[] = [];
  let position = 1;
  while (position < path.length) {
    const rest = path.slice(position);
    if (rest.startsWith('.')) {
      const key = DOT_KEY.exec(rest.slice(1))?.[0];
      if (key === undefined) throw new JsonPathSyntaxError(path, `expected a key after "." at position ${position}`);
      segments.push({ kind: 'key', key });
      position += 1 + key.length;
      continue;
    }
    if (rest.startsWith('[')) {
      const parsed = parseBracket(path, position);
      segments.push(parsed.segment);
      position = parsed.end;
      continue;
    }
    throw new JsonPathSyntaxError(path, `unexpected ${JSON.stringify(rest[0])} at position ${position}`);
  }
  return segments;
}

/** Looks the path up in a parsed JSON document. Keys apply to objects, indexes to arrays; nothing else matches. */
export function evaluateJsonPath(document: unknown, path: string | JsonPathSegment[]): JsonPathLookup {
  const segments = typeof path === 'string' ? parseJsonPath(path) : path;
  let current: unknown = document;
  for (const segment of segments) {
    const next = step(current, segment);
    if (!next.found) return next;
    current = next.value;
  }
  return { found: true, value: current };
}

function step(value: unknown, segment: JsonPathSegment): JsonPathLookup {
  if (segment.kind === 'index') {
    if (!Array.isArray(value) || segment.index >= value.length) return { found: false };
    return { found: true, value: value[segment.index] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { found: false };
  if (!Object.hasOwn(value, segment.key)) return { found: false };
  return { found: true, value: (value as Record<string, unknown>)[segment.key] };
}

function parseBracket(path: string, start: number): { segment: JsonPathSegment; end: number } {
  const quote = path[start + 1];
  if (quote === "'" || quote === '"') return parseQuotedKey(path, start, quote);
  const close = path.indexOf(']', start);
  const inner = close === -1 ? '' : path.slice(start + 1, close);
  if (!/^\d+$/.test(inner)) {
    throw new JsonPathSyntaxError(path, `expected [index] or ['key'] at position ${start}`);
  }
  return { segment: { kind: 'index', index: Number(inner) }, end: close + 1 };
}

function parseQuotedKey(path: string, start: number, quote: string): { segment: JsonPathSegment; end: number } {
  let key = '';
  let position = start + 2;
  while (position < path.length) {
    const char = path[position];
    if (char === '\\' && position + 1 < path.length) {
      key += path[position + 1];
      position += 2;
      continue;
    }
    if (char === quote) {
      if (path[position + 1] !== ']') break;
      return { segment: { kind: 'key', key }, end: position + 2 };
    }
    key += char;
    position += 1;
  }
  throw new JsonPathSyntaxError(path, `unterminated [${quote}key${quote}] at position ${start}`);
}
