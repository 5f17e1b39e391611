// Alertmanager's label matchers as routes write them: `name="value"`, `name!="value"`, `name=~"regex"`,
// `name!~"regex"` (the value may also go unquoted). Parsed and their regular expressions compiled when the config is
// read, so a typo is a config error naming where it was written, not a route that silently never matches. Pure.

import type { LabelMatcher, MatchOperator } from '../model/routing.js';
import { regexError } from './validate.js';

/** A Prometheus label name. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const MATCHER = /^\s*([^\s=!~"]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

export type MatcherParse = { ok: true; matcher: LabelMatcher } | { ok: false; reason: string };

export function parseMatcher(text: string): MatcherParse {
  const match = MATCHER.exec(text);
  if (!match) return { ok: false, reason: 'is not a matcher like name="value" (operators =, !=, =~, !~)' };
  const [, name = '', operator = '=', written = ''] = match;
  if (!LABEL_NAME.test(name)) return { ok: false, reason: `\`${name}\` is not a label name` };
  const value = unquote(written);
  if (value === undefined) return { ok: false, reason: 'has a quoted value without its closing quote' };
  const matcher: LabelMatcher = { name, operator: operator as MatchOperator, value };
  if (isRegexOperator(matcher.operator)) {
    const reason = anchoredRegexError(value);
    if (reason !== undefined) return { ok: false, reason: `is not a valid regular expression: ${reason}` };
  }
  return { ok: true, matcher };
}

export function isRegexOperator(operator: MatchOperator): boolean {
  return operator === '=~' || operator === '!~';
}

/** Anchored as Alertmanager anchors it: the expression must match the whole label value. */
export function anchoredRegex(value: string): RegExp {
  return new RegExp(`^(?:${value})$`);
}

/** Why `value` does not compile as an anchored regular expression, or undefined when it does. */
export function anchoredRegexError(value: string): string | undefined {
  return regexError(`^(?:${value})$`);
}

/** `"a \"b\""` → `a "b"`; an unquoted value as written; undefined for an unterminated quote. */
function unquote(written: string): string | undefined {
  if (!written.startsWith('"')) return written;
  if (!/^"(?:[^"\\]|\\.)*"$/s.test(written)) return undefined;
  return written.slice(1, -1).replace(/\\(.)/gs, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
}
