// The URL settings' schemas ask for `http(s)://` and no spaces; some values pass that and still are no URL a client
// can open (`http://ollama:port`, `http://[db`). This rule reports those, in the schema's words, where they are
// written, so a bad URL is a config error rather than a failure on first use.

import { httpUrl } from '../http-url.js';
import { got } from './problems.js';
import type { ConfigProblem } from './types.js';
import type { ConfigDocument } from './yaml-document.js';

/** What the schemas' URL pattern lets through (its failures are the schema's to report). */
const URL_PATTERN = /^https?:\/\/\S+$/;

export const HTTP_URL_MESSAGE = 'must be an http:// or https:// URL';

/** The problem with the value at `pointer`, when it looks like an http(s) URL but does not parse as one. */
export function unparsableHttpUrl(
  document: ConfigDocument,
  pointer: string,
  value: unknown,
  message: string = HTTP_URL_MESSAGE,
): ConfigProblem[] {
  if (typeof value !== 'string' || !URL_PATTERN.test(value) || httpUrl(value) !== undefined) return [];
  return [document.problem(pointer, `${message}, ${got(value, document.fromEnvironment.has(pointer))}`)];
}
