// HTTP 5xx on every probe of the failing run: the application answers but fails the request itself. Ranked after
// every more specific family (a change after a long healthy run, a named store, a shared fault), so it speaks when
// nothing else fits, as for an endpoint that has failed since its first probe. Says since when and which statuses,
// so the person starts from the application's own error log.

import type { Finding } from '../../model/diagnosis.js';
import { endpointOf } from '../evidence/check-target.js';
import { describeLastHealthy, describeRun, formatTime, present, serverErrorRun, shellWord } from './facts.js';
import type { RuleFn } from './rule.js';

export const serverErrorRule: RuleFn = (check) => {
  const errors = serverErrorRun(check);
  if (errors === undefined) return undefined;
  const { run, first, statuses, proxy } = errors;
  const where = check.target?.url ?? endpointOf(check.target) ?? check.checkId;
  const service = check.service ?? check.checkId;
  return {
    rule: 'server_error',
    summary: `${where} answers HTTP ${statuses} since ${formatTime(first.at)}`,
    probableCause: proxy
      ? `Likely the application behind the proxy at ${where}: the proxy answers HTTP ${statuses}, so it cannot reach ` +
        `${service} or gets no answer from it.`
      : `Likely an error inside ${service} or in something it calls: it answers, but fails every request with ` +
        `HTTP ${statuses}.`,
    evidence: present(describeRun(check, run), describeLastHealthy(check) ?? `not seen healthy in the lookback`),
    recommendations: present(
      check.target?.url !== undefined && `curl -sv ${shellWord(check.target.url)}`,
      proxy
        ? `Check that ${service} is up and reachable from the proxy in front of it.`
        : `Read the error log of ${service} from ${formatTime(first.at)}: the HTTP ${statuses} body and log name the failing step.`,
    ),
    confidence: 'low',
  } satisfies Finding;
};
