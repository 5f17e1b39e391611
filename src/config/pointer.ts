// JSON Pointers (RFC 6901) name a value inside a parsed file. Ajv reports errors with them, the position index is
// keyed by them, and `displayPath` turns one into the dotted path users read: `groups[0].checks[2].interval`.

export function childPointer(pointer: string, segment: string | number): string {
  return `${pointer}/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function parentPointer(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/** True when `pointer` is `ancestor` itself or lies inside it. */
export function isWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The dotted path of `pointer` inside `root`: list indices as `[n]`, mapping keys after a dot (quoted when they
 * would be ambiguous), `(file)` for the whole file. Segments below a value that does not exist read as keys,
 * unless they are numbers.
 */
export function displayPath(pointer: string, root: unknown): string {
  let path = '';
  let current: unknown = root;
  for (const segment of pointerSegments(pointer)) {
    const isIndex = Array.isArray(current) || (current === undefined && /^\d+$/.test(segment));
    if (isIndex) path += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
    current = childValue(current, segment);
  }
  return path === '' ? '(file)' : path;
}

function childValue(container: unknown, segment: string): unknown {
  if (Array.isArray(container)) return container[Number(segment)];
  if (container !== null && typeof container === 'object') return (container as Record<string, unknown>)[segment];
  return undefined;
}

/** The value at `pointer` inside `root`, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const segment of pointerSegments(pointer)) current = childValue(current, segment);
  return current;
}
