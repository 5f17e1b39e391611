// A database or cache check failing: names the store (PostgreSQL database on host:port, Redis on host:port) and
// the class of error (authentication, connection, timeout, query), each with its own next steps.

import type { CheckEvidence, Finding, ResultEvidence } from '../../model/diagnosis.js';
import { endpointOf } from '../evidence/check-target.js';
import { currentFailure, describeLastHealthy, describeRun, failingRun, present, shellWord } from './facts.js';
import type { RuleFn } from './rule.js';

type ErrorClass = 'auth' | 'connection' | 'timeout' | 'query';

const AUTH = /password authentication failed|SQLSTATE 28|NOAUTH|WRONGPASS|invalid password|authentication/i;
/** Refusals at connection time that are about the server's state rather than credentials or the query. */
const CONNECTION_STATES = /SQLSTATE (53300|57P03|3D000|08\w{3})|too many clients|starting up|LOADING/i;

const CLASS_WORDS: Readonly<Record<ErrorClass, string>> = {
  auth: 'authentication is refused',
  connection: 'connections fail',
  timeout: 'it does not answer in time',
  query: 'the check query fails',
};

export const datastoreRule: RuleFn = (check) => {
  const type = check.target?.type;
  if (type !== 'postgres' && type !== 'redis') return undefined;
  const failure = currentFailure(check);
  if (failure === undefined) return undefined;
  const errorClass = classify(failure);
  const store = storeName(check);
  const run = failingRun(check);
  return {
    rule: 'datastore',
    summary: `${store}: ${CLASS_WORDS[errorClass]}`,
    probableCause: `Likely ${cause(errorClass, store)}, because ${JSON.stringify(failure.message)}.`,
    evidence: present(describeRun(check, run), `error class: ${errorClass}`, describeLastHealthy(check)),
    recommendations: [client(check), ...nextSteps(errorClass, check, store)],
    confidence: run.length >= 2 ? 'high' : 'medium',
  } satisfies Finding;
};

function classify(failure: ResultEvidence): ErrorClass {
  if (AUTH.test(failure.message)) return 'auth';
  if (failure.reason === 'timeout') return 'timeout';
  if (failure.reason === 'connect' || failure.reason === 'dns' || failure.reason === 'tls') return 'connection';
  if (CONNECTION_STATES.test(failure.message)) return 'connection';
  return 'query';
}

/** "PostgreSQL database app on db.internal:5432", "Redis on cache:6379". */
function storeName(check: CheckEvidence): string {
  const endpoint = endpointOf(check.target) ?? check.checkId;
  if (check.target?.type === 'redis') return `Redis on ${endpoint}`;
  const database = check.target?.database;
  return `PostgreSQL${database === undefined ? '' : ` database ${database}`} on ${endpoint}`;
}

function cause(errorClass: ErrorClass, store: string): string {
  switch (errorClass) {
    case 'auth':
      return `the credentials of the check no longer work on ${store} (a rotated password, a changed role or access rule)`;
    case 'connection':
      return `${store} is down, full or unreachable`;
    case 'timeout':
      return `${store} is overloaded or blocked (locks, long queries, a full connection queue) or the network path drops packets`;
    case 'query':
      return `${store} accepts the connection but the check's query fails (a schema change, permissions, or the server's state)`;
  }
}

function client(check: CheckEvidence): string {
  const { host = 'HOST', port, database } = check.target ?? {};
  if (check.target?.type === 'redis') return `redis-cli -h ${host} -p ${port ?? 6379} ping`;
  return `psql -h ${host} -p ${port ?? 5432}${database === undefined ? '' : ` -d ${shellWord(database)}`} -c 'SELECT 1'`;
}

function nextSteps(errorClass: ErrorClass, check: CheckEvidence, store: string): string[] {
  const redis = check.target?.type === 'redis';
  const host = check.target?.host ?? 'the server';
  switch (errorClass) {
    case 'auth':
      return [
        redis
          ? `Check the password or ACL user the check uses against ${store} (a rotated secret?).`
          : `Check the role and password the check uses, and pg_hba.conf on ${host} (a rotated secret, a changed rule?).`,
      ];
    case 'connection':
      return [
        `nc -vz ${endpointOf(check.target)?.replace(/:(\d+)$/, ' $1') ?? host}`,
        redis
          ? `Check that redis-server runs on ${host} and its maxclients and memory.`
          : `Check that PostgreSQL runs on ${host}, its log, and max_connections against the connections in use.`,
      ];
    case 'timeout':
      return redis
        ? [`redis-cli -h ${host} --latency, and SLOWLOG GET 10 for slow commands.`]
        : [
            `SELECT pid, state, wait_event_type, now() - query_start AS running, query FROM pg_stat_activity ORDER BY running DESC LIMIT 10; on ${host}`,
          ];
    case 'query':
      return [`Run the check's query by hand on ${store} and read the server's log for the error.`];
  }
}
