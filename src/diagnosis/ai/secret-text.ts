// What a secret looks like in text bound for the AI provider: credentials in URLs, secret query parameters,
// authorization and cookie headers, `password=` pairs, bearer tokens, JWTs, API keys and long random blobs. Used only
// by ./redact.ts, the one place that builds what is sent; it errs on the side of hiding a harmless value.

export const REDACTED = '[redacted]';

/** Names of keys (query parameters, labels, annotations) whose values are secrets whatever they look like. */
const SECRET_KEY = /pass|pwd|secret|token|key|auth|credential|signature|^sig$|session|cookie|bearer/i;

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** `scheme://` and everything up to the last `@`, whatever characters a password contains (as src/redact.ts). */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)(.*)@/is;

const QUERY_PAIR = /([?&#;])([^=&#;]*)=([^&#;]*)/g;

/** A header line (`Authorization: Bearer …`, `-H 'Cookie: a=b'`): everything after the name goes. */
const SECRET_HEADER =
  /\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token)(\s*[:=]\s*)[^\r\n]*/gi;

/** `password=…`, `api_key: …`, `DB_PASSWORD="…"`, libpq's `password='…'`. */
const SECRET_PAIR =
  /\b([\w.-]*(?:password|passwd|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key)[\w.-]*)(["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&'"]+)/gi;

const BEARER = /\b(bearer)\s+[\w.~+/=-]{6,}/gi;

/** Basic credentials are base64: a capital, digit or symbol past the first letter, so "Basic authentication" stays. */
const BASIC = /\b([Bb]asic|BASIC)\s+(?=[A-Za-z0-9+/][a-z]*[A-Z0-9+/=])[A-Za-z0-9+/]{8,}={0,2}/g;

const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;

/** Well-known API key shapes: OpenAI, GitHub, Slack, AWS access key ids, Google API keys. */
const KNOWN_KEY = /\b(?:sk-[\w-]{16,}|gh[pousr]_\w{20,}|xox[abposr]-[\w-]{10,}|AKIA[0-9A-Z]{16}|AIza[\w-]{30,})/g;

const LONG_HEX = /\b[0-9a-f]{32,}\b/gi;

const BLOB = /[A-Za-z0-9+/_-]{32,}={0,2}/g;

/** A long token of mixed case and digits is random: a key or a base64 secret, not a word or a URL path. */
function isRandomBlob(token: string): boolean {
  if (token.split('/').some((segment) => /^[a-z_-]{3,}$/.test(segment))) return false;
  return /[0-9]/.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token);
}

export function isSecretKey(name: string): boolean {
  return SECRET_KEY.test(name);
}

/** `url` without user info (a password, a connection string's credentials) and without secret query values. */
export function scrubUrl(url: string): string {
  let safe = url;
  const userInfo = USER_INFO.exec(safe);
  // A `/` before the last `@` without a `:` is a path holding an `@`, not credentials.
  if (userInfo !== null && (userInfo[2]?.includes(':') === true || userInfo[2]?.includes('/') === false)) {
    safe = `${userInfo[1] ?? ''}${safe.slice(userInfo[0].length)}`;
  }
  return safe.replace(QUERY_PAIR, (pair, separator: string, name: string) =>
    isSecretKey(name) ? `${separator}${name}=${REDACTED}` : pair,
  );
}

/** Free text (a result's message, an annotation, a finding) with everything that looks like a secret replaced. */
export function scrubText(text: string): string {
  return text
    .replace(URL_IN_TEXT, scrubUrl)
    .replace(SECRET_HEADER, `$1$2${REDACTED}`)
    .replace(SECRET_PAIR, `$1$2${REDACTED}`)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(BASIC, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(KNOWN_KEY, REDACTED)
    .replace(LONG_HEX, REDACTED)
    .replace(BLOB, (token) => (isRandomBlob(token) ? REDACTED : token));
}

/** A label or annotation value: all of it when its name is a secret's, else its secret-looking parts. */
export function scrubNamedValue(name: string, value: string): string {
  return isSecretKey(name) ? REDACTED : scrubText(value);
}
