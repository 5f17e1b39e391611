// The repo's prometheus/prometheus.yml rewritten for one machine: the prober's and the receiver's scrape targets and
// the Alertmanager target at the addresses this run uses, every rule file as an absolute path (Prometheus reads
// relative ones from the config file's directory, which is the data directory here), and, when asked, shorter
// scrape and evaluation intervals. Pure: text in, text out.

import path from 'node:path';
import { isSeq, parseDocument, type Document } from 'yaml';
import { parseDuration } from '../config/index.js';
import { mapsAt, textOf } from './yaml-nodes.js';

/** `host:port` of each thing Prometheus talks to. */
export interface PrometheusTargets {
  prober: string;
  receiver: string;
  alertmanager: string;
}

export interface PrometheusTiming {
  /** e.g. `1s`; every job's `scrape_timeout` is cut to it where it is longer. */
  scrapeInterval?: string;
  evaluationInterval?: string;
}

export interface PrometheusRewrite {
  targets: PrometheusTargets;
  /** The directory the original prometheus.yml is in: relative rule files are resolved from it. */
  sourceDir: string;
  timing?: PrometheusTiming;
}

/** The scrape jobs the rules and the inhibitions name, mapped to the address that serves them. */
const JOB_TARGET: Record<string, keyof PrometheusTargets> = {
  'vigil-prober': 'prober',
  'vigil-receiver': 'receiver',
};

export function rewritePrometheusConfig(text: string, rewrite: PrometheusRewrite): string {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new Error(`prometheus.yml: ${document.errors[0]!.message}`);
  const { targets, sourceDir, timing } = rewrite;

  const ruleFiles = document.get('rule_files', true);
  if (isSeq(ruleFiles)) {
    const absolute = ruleFiles.items.map((item) => path.resolve(sourceDir, textOf(item) ?? ''));
    document.set('rule_files', absolute);
  }

  document.setIn(['alerting', 'alertmanagers'], [{ static_configs: [{ targets: [targets.alertmanager] }] }]);

  for (const job of mapsAt(document, ['scrape_configs'])) {
    const target = JOB_TARGET[String(job.get('job_name'))];
    if (target !== undefined) job.set('static_configs', document.createNode([{ targets: [targets[target]] }]));
  }

  if (timing?.scrapeInterval !== undefined) applyScrapeInterval(document, timing.scrapeInterval);
  if (timing?.evaluationInterval !== undefined) {
    document.setIn(['global', 'evaluation_interval'], timing.evaluationInterval);
  }
  document.commentBefore = ` Written by \`vigil stack\` from the repo's prometheus/prometheus.yml at each start: edit that one.\n${document.commentBefore ?? ''}`;
  return document.toString();
}

/** Prometheus refuses a scrape timeout longer than the interval, so a shorter interval cuts them down too. */
function applyScrapeInterval(document: Document, interval: string): void {
  const intervalMs = requireDuration(interval);
  document.setIn(['global', 'scrape_interval'], interval);
  const globalTimeout = textOf(document.getIn(['global', 'scrape_timeout']));
  if (globalTimeout !== undefined && requireDuration(globalTimeout) > intervalMs) {
    document.setIn(['global', 'scrape_timeout'], interval);
  }
  for (const job of mapsAt(document, ['scrape_configs'])) {
    if (job.has('scrape_interval')) job.set('scrape_interval', interval);
    const timeout = textOf(job.get('scrape_timeout'));
    if (timeout !== undefined && requireDuration(timeout) > intervalMs) job.set('scrape_timeout', interval);
  }
}

function requireDuration(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`not a duration: \`${text}\``);
  return ms;
}
