// Config problems: ordering, printing, and the wording of values inside messages.

import type { ConfigProblem } from './types.js';

/** `FILE:LINE:COL: PATH: message`, the line `vigil check-config` prints per problem. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.path}: ${problem.message}`;
}

/** Problems in file, line, column order, each reported once. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const unique = new Map(problems.map((problem) => [formatProblem(problem), problem]));
  return [...unique.values()].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.path.localeCompare(b.path) ||
      a.message.localeCompare(b.message),
  );
}

const SHOWN_TEXT_LENGTH = 60;

/** How a value reads after "got": `5x`, 30, true, an empty value, a mapping, a list. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return typeof value;
  const text = value.length > SHOWN_TEXT_LENGTH ? `${value.slice(0, SHOWN_TEXT_LENGTH)}…` : value;
  return `\`${text}\``;
}

/** The "got …" part of a message; values that came from the environment may be secrets and are never shown. */
export function got(value: unknown, fromEnvironment: boolean): string {
  return fromEnvironment ? 'got a value from the environment (not shown)' : `got ${describeValue(value)}`;
}

/** "a tcp", "an http": the article for a check type or similar word. */
export function withArticle(word: string): string {
  return /^[aeiou]|^http/i.test(word) ? `an ${word}` : `a ${word}`;
}
