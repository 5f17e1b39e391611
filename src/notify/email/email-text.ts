// The plain-text part of an alert email: the same view as the HTML part, for clients and filters that read only text.

import type { AlertView, EmailView } from './email-view.js';

export function emailText(view: EmailView): string {
  const blocks = [`${view.subject}\n${view.intro}`, ...view.alerts.map(alertText)];
  if (view.more > 0) blocks.push(`…and ${view.more} more${view.listUrl === undefined ? '' : `: ${view.listUrl}`}`);
  else if (view.listUrl !== undefined) blocks.push(`All alerts: ${view.listUrl}`);
  return `${blocks.join('\n\n')}\n`;
}

function alertText(alert: AlertView): string {
  const lines = [`${alert.title} — ${alert.where}`, `${alert.severity} · ${alert.since}`];
  if (alert.summary !== undefined) lines.push(alert.summary);
  if (alert.description !== undefined) lines.push(alert.description);
  if (alert.diagnosis !== undefined) lines.push(`Diagnosis: ${alert.diagnosis}`);
  if (alert.evidence.length > 0) lines.push('Evidence:', ...alert.evidence.map((each) => `  - ${each}`));
  if (alert.recommendations.length > 0) {
    lines.push('Recommendations:', ...alert.recommendations.map((each, index) => `  ${index + 1}. ${each}`));
  }
  if (alert.impact !== undefined) lines.push(`Impact: ${alert.impact}`);
  for (const link of alert.links) lines.push(`${link.label}: ${link.url}`);
  return lines.join('\n');
}
