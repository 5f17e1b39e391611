// Where a check points, as a diagnosis names it: host, port, URL, DNS name and resolver, TLS server name, database.
// Built from the loaded check definition and never carrying a secret: URLs lose their user info, query string and
// fragment, connection strings their password (only host, port and database are kept).

import type { CheckDefinition } from '../../model/check.js';
import type { CheckTarget } from '../../model/diagnosis.js';
import { redactUrl } from '../../redact.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  'http:': 80,
  'https:': 443,
  'ws:': 80,
  'wss:': 443,
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
  'rediss:': 6379,
};

export function checkTarget(check: CheckDefinition): CheckTarget {
  switch (check.type) {
    case 'http':
    case 'websocket':
      return { type: check.type, ...webTarget(check.url) };
    case 'tcp':
      return {
        type: 'tcp',
        host: check.host,
        port: check.port,
        ...(check.tls ? { serverName: check.host } : {}),
      };
    case 'tls':
      return { type: 'tls', host: check.host, port: check.port, serverName: check.serverName ?? check.host };
    case 'dns':
      return {
        type: 'dns',
        dnsName: check.query,
        recordType: check.recordType,
        ...(check.server === undefined ? {} : { resolver: check.server }),
      };
    case 'postgres':
      return { type: 'postgres', ...postgresTarget(check.connectionString) };
    case 'redis':
      return { type: 'redis', ...serverOfUrl(check.url) };
    case 'push':
      // Pinged by its job: there is no endpoint to name.
      return { type: 'push' };
  }
}

/** `host:port` of a target, for messages and commands; undefined when the target has no host. */
export function endpointOf(target: CheckTarget | undefined): string | undefined {
  if (target?.host === undefined) return undefined;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return target.port === undefined ? host : `${host}:${target.port}`;
}

function webTarget(raw: string): Omit<CheckTarget, 'type'> {
  const url = parse(raw);
  if (url === undefined) return {};
  const host = bareHost(url.hostname);
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  const safeUrl = `${url.protocol}//${url.host}${url.pathname}`;
  return {
    host,
    ...(port === undefined ? {} : { port }),
    url: safeUrl,
    ...(url.protocol === 'https:' || url.protocol === 'wss:' ? { serverName: host } : {}),
  };
}

function serverOfUrl(raw: string): Omit<CheckTarget, 'type'> {
  const url = parse(raw);
  if (url === undefined || url.hostname === '') return {};
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  return { host: bareHost(url.hostname), ...(port === undefined ? {} : { port }) };
}

function postgresTarget(connectionString: string): Omit<CheckTarget, 'type'> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(connectionString)) {
    const url = parse(connectionString);
    if (url === undefined) return {};
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    const host = url.hostname === '' ? (url.searchParams.get('host') ?? undefined) : bareHost(url.hostname);
    const port = url.port === '' ? 5432 : Number(url.port);
    return { ...(host ? { host } : {}), port, ...(database === '' ? {} : { database }) };
  }
  // libpq key/value form: `host=db port=5433 dbname=app password=...`.
  const value = (key: string): string | undefined =>
    new RegExp(`\\b${key}\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'|\\S*)`).exec(connectionString)?.[1]?.replace(/^'|'$/g, '');
  const host = value('host');
  const port = Number(value('port') ?? 5432);
  const database = value('dbname');
  return { ...(host ? { host } : {}), port, ...(database ? { database } : {}) };
}

/** Parses a URL with its credentials masked first, so a password the parser trips over cannot leak or misplace. */
function parse(raw: string): URL | undefined {
  try {
    return new URL(redactUrl(raw));
  } catch {
    return undefined;
  }
}

/** `[::1]` → `::1`: hosts are kept bare and bracketed only where a port follows. */
function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}
