// The rule map: one function per rule family, like the probe map. Adding a family is one file and one entry here;
// the order of FAMILIES breaks ties between equally confident findings, most specific first.

import { connectionRefusedRule } from './connection-refused.js';
import { datastoreRule } from './datastore.js';
import { deploymentRule } from './deployment.js';
import { dnsRule } from './dns.js';
import { exhaustionRule } from './exhaustion.js';
import { periodicRule } from './periodic.js';
import type { RuleFn } from './rule.js';
import { serverErrorRule } from './server-error.js';
import { sharedDependencyRule } from './shared-dependency.js';
import { timeoutRule } from './timeout.js';
import { tlsRule } from './tls.js';
import { validationRule } from './validation.js';

/**
 * Most specific first: a fault several checks share explains each of them; a named store, certificate, name or
 * assertion says more than a refused port; a timeout says least about why.
 */
export const FAMILIES = [
  'shared_dependency',
  'tls',
  'datastore',
  'dns',
  'validation',
  'connection_refused',
  'exhaustion',
  'periodic',
  'deployment',
  'server_error',
  'timeout',
] as const;

export type RuleFamily = (typeof FAMILIES)[number];

export const rules: Readonly<Record<RuleFamily, RuleFn>> = {
  shared_dependency: sharedDependencyRule,
  tls: tlsRule,
  datastore: datastoreRule,
  dns: dnsRule,
  validation: validationRule,
  connection_refused: connectionRefusedRule,
  exhaustion: exhaustionRule,
  periodic: periodicRule,
  deployment: deploymentRule,
  server_error: serverErrorRule,
  timeout: timeoutRule,
};
