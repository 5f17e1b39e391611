// The dns check: ask a resolver (the system's, or `server`) for one record type of one name, render the answers
// as strings ("10 mail.example.com" for MX) and require every expected answer to be among them.

import { lookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DnsCheck, DnsRecordType } from '../model/check.js';
import { describeLookupError, errorCode, errorText } from './errors.js';
import { ProbeFailureError, type ProbeRun, runProbe } from './net-run.js';
import type { ProbeFn } from './types.js';

/** Answers listed in a message at most; the rest are counted. */
const LISTED_ANSWERS = 5;
/** c-ares doubles its per-try timeout, so two tries of a third each fit the check's timeout. */
const RESOLVER_TRIES = 2;

type Query = (resolver: Resolver, name: string) => Promise<string[]>;

const QUERIES: Record<DnsRecordType, Query> = {
  A: (resolver, name) => resolver.resolve4(name),
  AAAA: (resolver, name) => resolver.resolve6(name),
  CNAME: (resolver, name) => resolver.resolveCname(name),
  NS: (resolver, name) => resolver.resolveNs(name),
  MX: async (resolver, name) => (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`),
  TXT: async (resolver, name) => (await resolver.resolveTxt(name)).map((chunks) => chunks.join('')),
  SRV: async (resolver, name) =>
    (await resolver.resolveSrv(name)).map((srv) => `${srv.priority} ${srv.weight} ${srv.port} ${srv.name}`),
  // An address is looked up in in-addr.arpa / ip6.arpa for the user; a name is queried as written.
  PTR: (resolver, name) => (isIP(name) ? resolver.reverse(name) : resolver.resolvePtr(name)),
};

export const probeDns: ProbeFn<DnsCheck> = (check, context) =>
  runProbe(context, async (run) => {
    const resolver = new Resolver({ timeout: Math.max(1, Math.floor(context.timeoutMs / 3)), tries: RESOLVER_TRIES });
    run.onRelease(() => resolver.cancel());
    if (check.server) useServer(resolver, await serverAddress(run, check.server), check.server);
    const from = check.server ? ` from ${check.server}` : '';
    const question = `${check.recordType} ${check.query}`;

    const answers = await run.step(`the ${question} answer${from}`, 'dns', async () => {
      try {
        return await QUERIES[check.recordType](resolver, check.query);
      } catch (error) {
        throw describeResolverError(error, question, from, context.timeoutMs);
      }
    });

    const missing = check.expect.filter(
      (wanted) => !answers.some((answer) => answerMatches(answer, wanted, check.recordType)),
    );
    if (missing.length > 0) {
      throw new ProbeFailureError(
        'body',
        `${question}${from}: missing ${missing.map(quote).join(', ')}; got ${listAnswers(answers)}`,
      );
    }
    return run.success(`${question}${from}: ${listAnswers(answers)}`);
  });

/** `host:port` (or `[v6]:port`, or a bare address) in the form Resolver.setServers takes; a host name is looked up. */
async function serverAddress(run: ProbeRun, server: string): Promise<string> {
  const { host, port } = splitServer(server);
  const address =
    isIP(host) !== 0
      ? host
      : await run.step(`DNS resolution of the server ${host}`, 'dns', async () => {
          try {
            return (await lookup(host)).address;
          } catch (error) {
            throw ProbeFailureError.from(describeLookupError(error, host));
          }
        });
  const literal = isIP(address) === 6 ? `[${address}]` : address;
  return port === undefined ? literal : `${literal}:${port}`;
}

function splitServer(server: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  if (bracketed) return { host: bracketed[1] ?? '', ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  if (isIP(server) === 6) return { host: server };
  const plain = /^([^:]+)(?::(\d+))?$/.exec(server);
  if (!plain?.[1]) throw invalidServer(server, 'expected host:port');
  return { host: plain[1], ...(plain[2] ? { port: plain[2] } : {}) };
}

function useServer(resolver: Resolver, address: string, server: string): void {
  try {
    resolver.setServers([address]);
  } catch (error) {
    throw invalidServer(server, errorText(error));
  }
}

function invalidServer(server: string, why: string): ProbeFailureError {
  return new ProbeFailureError('error', `invalid DNS server "${server}": ${why}`);
}

function describeResolverError(error: unknown, question: string, from: string, timeoutMs: number): ProbeFailureError {
  switch (errorCode(error)) {
    case 'ENOTFOUND':
      return new ProbeFailureError('dns', `NXDOMAIN: ${question}${from}: the name does not exist`);
    case 'ENODATA':
      return new ProbeFailureError('dns', `${question}${from}: no such records (the name exists)`);
    case 'ESERVFAIL':
      return new ProbeFailureError('dns', `SERVFAIL: ${question}${from}: the server failed to answer`);
    case 'EREFUSED':
      return new ProbeFailureError('dns', `REFUSED: ${question}${from}: the server refused the query`);
    case 'ETIMEOUT':
    case 'ECANCELLED':
      return new ProbeFailureError(
        'timeout',
        `timed out after ${timeoutMs} ms waiting for the ${question} answer${from}`,
      );
    case 'ECONNREFUSED':
      return new ProbeFailureError(
        'connect',
        `${question}${from}: connection refused (nothing listens on the DNS server's port)`,
      );
    default:
      return new ProbeFailureError('dns', `${question}${from}: ${errorText(error)}`);
  }
}

/**
 * Case-insensitive, trailing dot and spacing ignored. For MX and SRV the target alone also counts, so
 * `expect: [mail.example.com]` holds whatever the priority.
 */
function answerMatches(answer: string, wanted: string, recordType: DnsRecordType): boolean {
  const got = normalise(answer);
  const want = normalise(wanted);
  if (got === want) return true;
  return (recordType === 'MX' || recordType === 'SRV') && got.split(' ').at(-1) === want;
}

function normalise(value: string): string {
  return value.trim().replace(/\s+/g, ' ').replace(/\.$/, '').toLowerCase();
}

function listAnswers(answers: readonly string[]): string {
  if (answers.length === 0) return 'no answers';
  const listed = answers.slice(0, LISTED_ANSWERS).map(quote).join(', ');
  const more = answers.length - LISTED_ANSWERS;
  return more > 0 ? `${listed} (+${more} more)` : listed;
}

/** Plain when it reads unambiguously in a comma-separated list (addresses, names, "10 mail.example.com"). */
function quote(answer: string): string {
  const short = answer.length > 80 ? `${answer.slice(0, 80)}…` : answer;
  return /^[\w.:-]+( [\w.:-]+)*$/.test(short) ? short : JSON.stringify(short);
}
