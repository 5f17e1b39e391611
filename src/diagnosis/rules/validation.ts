// A successful HTTP answer that fails the check's validation (a header, the body, a JSON path): the service is up
// and answering, so the likely cause is in the application's output (a regression, a changed contract, an error
// page served with 200). Names the failed assertion as the probe reported it.

import type { Finding } from '../../model/diagnosis.js';
import { endpointOf } from '../evidence/check-target.js';
import {
  currentFailure,
  describeLastHealthy,
  describeRun,
  failingRun,
  formatTime,
  present,
  shellWord,
} from './facts.js';
import type { RuleFn } from './rule.js';

const VALIDATION_REASONS: ReadonlySet<string> = new Set(['header', 'body', 'json_path']);

const WHAT: Readonly<Record<string, string>> = {
  header: 'a response header',
  body: 'the response body',
  json_path: 'a JSON field of the response',
};

export const validationRule: RuleFn = (check) => {
  const failure = currentFailure(check);
  if (failure?.reason === undefined || !VALIDATION_REASONS.has(failure.reason)) return undefined;
  const status = failure.httpStatus;
  if (status === undefined || status < 200 || status > 299) return undefined;
  const run = failingRun(check);
  const where = check.target?.url ?? endpointOf(check.target) ?? check.checkId;
  const assertion = failure.message;
  const jsonPath = /^(\$\S*)/.exec(assertion)?.[1];
  const header = /^header (\S+)/.exec(assertion)?.[1];
  const url = check.target?.url === undefined ? 'URL' : shellWord(check.target.url);
  return {
    rule: 'validation',
    summary: `${where} answers HTTP ${status} but ${WHAT[failure.reason]} fails validation`,
    probableCause:
      `Likely an application-level regression in ${check.service ?? check.checkId}: ${where} answers HTTP ${status}, ` +
      `but ${WHAT[failure.reason]} no longer meets the check (${JSON.stringify(assertion)}) since ${formatTime(run[0]!.at)}.`,
    evidence: present(describeRun(check, run), `failed assertion: ${assertion}`, describeLastHealthy(check)),
    recommendations: present(
      jsonPath !== undefined && `curl -s ${url} | jq ${shellWord(jsonPath.replace(/^\$/, '') || '.')}`,
      header !== undefined && `curl -sI ${url} | grep -i ${shellWord(header)}`,
      jsonPath === undefined && header === undefined && `curl -s ${url} | head -c 2000`,
      `Compare with the last release of ${check.service ?? check.checkId} before ${formatTime(run[0]!.at)}: a changed response contract or an error page served with ${status}.`,
    ),
    confidence: run.length >= 2 ? 'high' : 'medium',
  } satisfies Finding;
};
