// Which state of an alert group a notification announces. Alertmanager sends a group again and again (every
// group_interval while it changes, every repeat_interval while it does not, twice from an HA pair, again after a
// failed webhook): only a different set of firing alerts, or the end of them all, is news. The key names that set.

import { createHash } from 'node:crypto';
import { type AlertRecord, isOpen } from '../../model/alert.js';

/** Alerts still firing: open ones. A suppressed alert still fires (it is only muted), so muting one is no news. */
export function firingAlerts(alerts: readonly AlertRecord[]): AlertRecord[] {
  return alerts.filter((alert) => isOpen(alert.state));
}

/** `firing:<digest of the firing fingerprints>`, or `resolved` once none fires. */
export function groupStateKey(firing: readonly AlertRecord[]): string {
  if (firing.length === 0) return 'resolved';
  const fingerprints = [...new Set(firing.map((alert) => alert.fingerprint))].sort();
  return `firing:${createHash('sha256').update(fingerprints.join('\n')).digest('hex').slice(0, 24)}`;
}

const SEVERITY_RANK: Record<string, number> = { critical: 3, warning: 2, info: 1 };

/** The most severe severity among the alerts: critical > warning > info > anything else (the first of those). */
export function highestSeverity(alerts: readonly AlertRecord[]): string {
  let highest: string | undefined;
  for (const { severity } of alerts) {
    if (highest === undefined || (SEVERITY_RANK[severity] ?? 0) > (SEVERITY_RANK[highest] ?? 0)) highest = severity;
  }
  return highest ?? '';
}
