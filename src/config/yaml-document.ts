// Reads one YAML config file with positions. Templates are filled on the parsed nodes, so every position still
// points into the file as written; syntax errors and duplicate keys become problems; and the place each value and
// key was written is indexed by JSON Pointer, so any later problem can name FILE:LINE:COL.

import { LineCounter, Scalar, isMap, isScalar, isSeq, parseDocument, type YAMLError } from 'yaml';

import { childPointer, displayPath, parentPointer } from './pointer.js';
import { expandTemplates, hasTemplate, isWholeTemplate } from './template.js';
import type { ConfigProblem } from './types.js';

export interface Position {
  line: number;
  column: number;
}

type Env = Record<string, string | undefined>;

/** One parsed config file: its data (after templating), where each part was written, and its parse problems. */
export class ConfigDocument {
  /** Syntax errors, duplicate keys and template problems; empty when the file read cleanly. */
  readonly problems: ConfigProblem[] = [];
  /** The data; undefined when the file had syntax errors. An empty file is null. */
  value: unknown = undefined;
  /** Values that contain text from an environment variable: possibly secret, never echoed. */
  readonly fromEnvironment = new Set<string>();
  /** Values whose templates could not be filled; checking them further would only repeat the problem. */
  readonly unfilled = new Set<string>();
  readonly valuePositions = new Map<string, Position>();
  readonly keyPositions = new Map<string, Position>();

  constructor(readonly file: string) {}

  /** Where the value (or its key) at `pointer` was written, else where its nearest written ancestor was. */
  locate(pointer: string, anchor: 'value' | 'key' = 'value'): Position {
    const exact = (anchor === 'key' ? this.keyPositions : this.valuePositions).get(pointer);
    if (exact) return exact;
    for (let current = pointer; current !== '';) {
      current = parentPointer(current);
      const found = this.valuePositions.get(current);
      if (found) return found;
    }
    return { line: 1, column: 1 };
  }

  problem(pointer: string, message: string, anchor: 'value' | 'key' = 'value'): ConfigProblem {
    const { line, column } = this.locate(pointer, anchor);
    return { file: this.file, line, column, path: displayPath(pointer, this.value), message };
  }

  /** `FILE:LINE:COL` of a value, for messages that point at a second place. */
  where(pointer: string): string {
    const { line, column } = this.locate(pointer);
    return `${this.file}:${line}:${column}`;
  }
}

/** A whole-file problem (missing, unreadable) at 1:1. */
export function fileProblem(file: string, message: string): ConfigProblem {
  return { file, line: 1, column: 1, path: '(file)', message };
}

export function parseConfigYaml(file: string, text: string, env: Env): ConfigDocument {
  const document = new ConfigDocument(file);
  const lineCounter = new LineCounter();
  const parsed = parseDocument(text, { lineCounter, uniqueKeys: false, merge: true });
  const walker = new Walker(document, lineCounter, text, env);
  parsed.contents = walker.visit(parsed.contents, '') as typeof parsed.contents;
  const syntaxErrors = parsed.errors.filter((error) => !walker.isInsideTemplate(error.pos[0]));
  if (syntaxErrors.length > 0) {
    document.problems.push(...syntaxErrors.map((error) => syntaxProblem(file, error, text)));
    return document;
  }
  try {
    document.value = parsed.toJS({ maxAliasCount: 100 }) ?? null;
  } catch (error) {
    // Alias bombs and similar: the file is well-formed but cannot become data.
    document.problems.push(fileProblem(file, `cannot read the YAML: ${(error as Error).message}`));
    return document;
  }
  for (const { pointer, message, at } of walker.findings) {
    document.problems.push({
      file,
      line: at.line,
      column: at.column,
      path: displayPath(pointer, document.value),
      message,
    });
  }
  return document;
}

function syntaxProblem(file: string, error: YAMLError, text: string): ConfigProblem {
  const position = error.linePos?.[0] ?? { line: 1, col: 1 };
  const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  const afterTemplate = text.slice(0, error.pos[0]).trimEnd().endsWith('}}');
  const hint = afterTemplate ? ' (quote a value that starts with `{{`, e.g. "{{ BASE_URL }}/api")' : '';
  const message = `YAML syntax error: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}${hint}`;
  return { file, line: position.line, column: position.col, path: '(file)', message };
}

interface Finding {
  pointer: string;
  message: string;
  at: Position;
}

/** Walks the node tree once: fills templates, indexes positions, finds duplicate keys. */
class Walker {
  readonly findings: Finding[] = [];
  private readonly templateRanges: Array<[number, number]> = [];

  constructor(
    private readonly document: ConfigDocument,
    private readonly lineCounter: LineCounter,
    private readonly text: string,
    private readonly env: Env,
  ) {}

  isInsideTemplate(offset: number): boolean {
    return this.templateRanges.some(([start, end]) => offset >= start && offset < end);
  }

  /** Visits `node` at `pointer`; returns the node to keep in its place (a filled unquoted template becomes a scalar). */
  visit(node: unknown, pointer: string): unknown {
    const range = rangeOf(node);
    if (range) this.document.valuePositions.set(pointer, this.position(range[0]));
    if (isMap(node) && node.flow && range && isWholeTemplate(this.text.slice(range[0], range[1]))) {
      // YAML reads an unquoted `{{ PORT | 5432 }}` as a nested flow mapping; it was meant as a template.
      this.templateRanges.push([range[0], range[1]]);
      const scalar = new Scalar(this.text.slice(range[0], range[1]));
      scalar.range = [range[0], range[1], range[2]];
      this.fill(scalar, pointer, true);
      return scalar;
    }
    if (isScalar(node) && typeof node.value === 'string') this.fill(node, pointer, false);
    if (isSeq(node)) node.items = node.items.map((item, index) => this.visit(item, childPointer(pointer, index)));
    if (isMap(node)) this.visitMap(node.items, pointer);
    return node;
  }

  private visitMap(pairs: Array<{ key: unknown; value: unknown }>, pointer: string): void {
    const firstSeen = new Map<string, Position>();
    for (const pair of pairs) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const keyPointer = childPointer(pointer, key);
      const keyRange = rangeOf(pair.key);
      const keyPosition = keyRange ? this.position(keyRange[0]) : this.document.locate(pointer);
      const earlier = firstSeen.get(key);
      if (earlier !== undefined && key !== '<<') {
        const first = `${this.document.file}:${earlier.line}:${earlier.column}`;
        const message = `duplicate key \`${key}\` (first defined at ${first})`;
        this.findings.push({ pointer: keyPointer, message, at: keyPosition });
      }
      if (earlier === undefined) firstSeen.set(key, keyPosition);
      // The last duplicate wins in the data, so its positions are the ones to index.
      this.document.keyPositions.set(keyPointer, keyPosition);
      if (rangeOf(pair.value) === undefined) this.document.valuePositions.set(keyPointer, keyPosition);
      pair.value = this.visit(pair.value, keyPointer);
    }
  }

  private fill(scalar: Scalar, pointer: string, unquotedWhole: boolean): void {
    const text = scalar.value as string;
    if (!hasTemplate(text)) return;
    const expansion = expandTemplates(text, this.env);
    const at = this.document.locate(pointer);
    const problem = (message: string): void => {
      this.findings.push({ pointer, message, at });
    };
    for (const name of expansion.missing) problem(`environment variable ${name} is not set and has no default`);
    for (const template of expansion.malformed) {
      problem(`\`${template}\` is not a template: write \`{{ NAME }}\` or \`{{ NAME | default }}\``);
    }
    if (expansion.missing.length + expansion.malformed.length > 0) {
      this.document.unfilled.add(pointer);
      return;
    }
    if (expansion.usedEnvironment) this.document.fromEnvironment.add(pointer);
    scalar.value = unquotedWhole ? readScalar(expansion.text) : expansion.text;
  }

  private position(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }
}

/** What YAML makes of `text` written unquoted: `5432` a number, `true` a boolean; anything else stays text. */
function readScalar(text: string): unknown {
  if (text.trim() === '') return text;
  const parsed = parseDocument(text);
  return parsed.errors.length === 0 && isScalar(parsed.contents) ? parsed.contents.value : text;
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as { range?: readonly [number, number, number] | null }).range;
  return range ?? undefined;
}
