// HTTP 5xx after a long healthy run: most often a change (a deployment, a config push, a flag) that landed just
// before the first error. Says how long the check had been healthy and when the errors started, so the person can
// line it up with their deploy log; 502/504 point at the proxy in front of the application instead.

import type { CheckEvidence, Finding } from '../../model/diagnosis.js';
import { endpointOf } from '../evidence/check-target.js';
import { describeRun, formatSpan, formatTime, HOUR, present, serverErrorRun, shellWord } from './facts.js';
import type { RuleFn } from './rule.js';

/** Healthy this long before the errors: long enough that "something changed" is the likely story. */
const LONG_HEALTHY_MS = 6 * HOUR;
const SOME_HEALTHY_MS = HOUR;

export const deploymentRule: RuleFn = (check) => {
  const errors = serverErrorRun(check);
  if (errors === undefined) return undefined;
  const { run, first, statuses, proxy } = errors;
  const healthySince = healthyRunStart(check, first.at);
  if (healthySince === undefined) return undefined;
  const healthyFor = first.at - healthySince;
  if (healthyFor < SOME_HEALTHY_MS) return undefined;

  const where = check.target?.url ?? endpointOf(check.target) ?? check.checkId;
  const service = check.service ?? check.checkId;
  const noIncident = check.incidents.every((incident) => incident.closedAt === undefined);
  return {
    rule: 'deployment',
    summary: `${where} answers HTTP ${statuses} since ${formatTime(first.at)} after ${formatSpan(healthyFor)} without errors`,
    probableCause:
      `Likely a change (deployment, configuration) to ${service} shortly before ${formatTime(first.at)}, because ` +
      `${where} answered HTTP ${statuses} from then on after a healthy run of ${formatSpan(healthyFor)}` +
      `${proxy ? '; the proxy in front of it cannot reach the application' : ''}.`,
    evidence: present(
      describeRun(check, run),
      noIncident
        ? `no incident of ${check.checkId} since ${formatTime(healthySince)} (${formatSpan(healthyFor)} before the errors)`
        : `the previous incident of ${check.checkId} closed at ${formatTime(healthySince)}, ${formatSpan(healthyFor)} before the errors`,
    ),
    recommendations: present(
      `Check the deploys and configuration changes of ${service} between ${formatTime(first.at - HOUR)} and ${formatTime(first.at)}; roll back the one that landed just before the errors.`,
      check.target?.url !== undefined && `curl -sv ${shellWord(check.target.url)}`,
      proxy
        ? `Check that the application behind the proxy on ${endpointOf(check.target) ?? where} is up and reachable from it.`
        : `Read the application's error logs from ${formatTime(first.at)} for the cause of the HTTP ${statuses}.`,
    ),
    confidence: healthyFor >= LONG_HEALTHY_MS ? 'medium' : 'low',
  } satisfies Finding;
};

/**
 * When the healthy run before `failedAt` began: the close of the previous incident, or else the start of the known
 * history (no incident since); undefined when the check was not seen healthy right before the errors.
 */
function healthyRunStart(check: CheckEvidence, failedAt: number): number | undefined {
  const previous = check.incidents.find((incident) => incident.closedAt !== undefined && incident.closedAt <= failedAt);
  if (previous?.closedAt !== undefined) return previous.closedAt;
  const since = check.historySince ?? check.recent[0]?.at;
  if (since === undefined || since >= failedAt) return undefined;
  return check.lastHealthyAt !== undefined ? since : undefined;
}
