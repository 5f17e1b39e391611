// Strips credentials from connection strings and URLs before they appear in a message: a probe's result, the store's
// log lines. Messages are stored, exported, shown on status pages and given to the AI provider, so a password must
// never reach one.
//
// The string is handled as text rather than through `new URL()`: a password with an unescaped `#`, `?` or `/` makes
// the parser misplace the user info (or fail), and a misparse must not leak what it failed to recognise.

const MASK = '***';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** `scheme://` and everything up to the last `@`: the user info, whatever characters the password contains. */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)(.*)@/is;

/** Query parameters drivers accept credentials through (`?password=`, `?sslpassword=`, `?auth_token=`). */
const SECRET_PARAM = /([?&][^=&#]*(?:pass|secret|token)[^=&#]*=)([^&#]*)/gi;

/** libpq key/value form: `host=db password='s3cr et' dbname=app`. */
const KEY_VALUE_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)/gi;

/** Secrets shorter than this occur by coincidence in any message; masking them would mangle it and hide nothing. */
const MIN_SECRET_LENGTH = 3;

/** The target with its password and password-like query parameters replaced by `***`; fit for messages. */
export function redactUrl(target: string): string {
  if (!SCHEME.test(target)) return target.replace(KEY_VALUE_PASSWORD, `$1${MASK}`);
  const userInfo = USER_INFO.exec(target);
  if (userInfo === null) return target.replace(SECRET_PARAM, `$1${MASK}`);
  const [whole, scheme = '', credentials = ''] = userInfo;
  const colon = credentials.indexOf(':');
  const safeCredentials = colon === -1 ? credentials : `${credentials.slice(0, colon)}:${MASK}`;
  const rest = target.slice(whole.length).replace(SECRET_PARAM, `$1${MASK}`);
  return `${scheme}${safeCredentials}@${rest}`;
}

/**
 * `text` (a driver's error message, say) with every secret of `target` masked, in raw and percent-decoded form, and
 * any verbatim copy of the target redacted. Use on every message built from a failure.
 */
export function redactSecrets(text: string, target: string): string {
  let safe = text.split(target).join(redactUrl(target));
  for (const secret of secretsOf(target)) safe = safe.split(secret).join(MASK);
  return safe;
}

function secretsOf(target: string): string[] {
  const raw: string[] = [];
  if (!SCHEME.test(target)) {
    for (const match of target.matchAll(KEY_VALUE_PASSWORD)) raw.push(unquote(match[2] ?? ''));
  } else {
    const credentials = USER_INFO.exec(target)?.[2] ?? '';
    const colon = credentials.indexOf(':');
    if (colon !== -1) raw.push(credentials.slice(colon + 1));
    for (const match of target.matchAll(SECRET_PARAM)) raw.push(match[2] ?? '');
  }
  // Drivers decode what they parse: user info with decodeURIComponent, query strings also turning `+` into a space.
  const all = raw.flatMap((secret) => [secret, safeDecode(secret), safeDecode(secret.replace(/\+/g, ' '))]);
  // Longest first, so a secret containing another is masked whole.
  return [...new Set(all)].filter((secret) => secret.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function unquote(value: string): string {
  return value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
