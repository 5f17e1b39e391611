// A copy of the repo's prometheus/ folder whose alerting rules wait less: each rule's `for` replaced as the test
// says, so an end-to-end test sees in seconds what takes minutes with the shipped rules. The expressions, labels
// and annotations stay the shipped ones.

import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { REPO_ROOT } from './vigil-process.js';
import { makeTempDir } from './temp-dirs.js';

/** Copies prometheus/ and sets every alert's `for` to `forOf(alertname)`; answers the copy's directory. */
export function prometheusDirWithShortFor(forOf: (alertname: string) => string): string {
  const dir = makeTempDir('vigil-prometheus');
  cpSync(path.join(REPO_ROOT, 'prometheus'), dir, { recursive: true });
  const rulesDir = path.join(dir, 'rules');
  for (const file of readdirSync(rulesDir).filter((name) => name.endsWith('.yml') && !name.endsWith('.test.yml'))) {
    const document = parseDocument(readFileSync(path.join(rulesDir, file), 'utf8'));
    const groups = document.get('groups', true);
    for (const group of isSeq(groups) ? groups.items.filter(isMap) : []) {
      const rules = group.get('rules', true);
      for (const rule of isSeq(rules) ? rules.items.filter(isMap) : []) {
        const alert = rule.get('alert');
        if (typeof alert === 'string' && rule.has('for')) rule.set('for', forOf(alert));
      }
    }
    writeFileSync(path.join(rulesDir, file), document.toString());
  }
  return dir;
}
