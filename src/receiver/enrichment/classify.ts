// Category, impact and recommendations of an alert, from its name and labels: pure rules, readable at a glance. The
// recommendations by category are the fallback only: the diagnosis owns an alert's recommendations, and passes these
// on when no rule of its fits (and the API shows them until the diagnosis has run).
// Label values are untrusted text: they end up in plain strings here and are never interpreted.

export type AlertCategory = 'certificate' | 'performance' | 'sla' | 'dns' | 'availability' | 'other';

const RULES: ReadonlyArray<readonly [AlertCategory, RegExp]> = [
  ['certificate', /cert|tls|ssl/i],
  ['sla', /sla|budget|burn/i],
  ['performance', /latency|slow|duration|degraded|response.?time/i],
  ['dns', /dns/i],
  ['availability', /down|fail|unreachable|unavailable|error|success|probe|up\b/i],
];

export function categoryOf(alertname: string, labels: Readonly<Record<string, string>>): AlertCategory {
  const text = `${alertname} ${labels['type'] ?? ''}`;
  for (const [category, pattern] of RULES) if (pattern.test(text)) return category;
  return 'other';
}

const RECOMMENDATIONS: Readonly<Record<AlertCategory, readonly string[]>> = {
  certificate: [
    'Check the certificate chain and expiry date served on the endpoint (openssl s_client -connect HOST:443).',
    'Renew the certificate or fix the automation (ACME client, secret sync) that should have renewed it.',
  ],
  performance: [
    'Compare the latency with its thresholds on the check dashboard and look for a recent deploy or traffic change.',
    'Check the resources of the service (CPU, memory, connection pools) and of its dependencies.',
  ],
  sla: [
    'Look at which checks consumed the error budget in the SLA report (vigil report).',
    'Slow down risky changes until the budget recovers.',
  ],
  dns: [
    'Query the name against the configured resolver and the authoritative servers to see who answers wrongly.',
    'Check recent changes to the zone and the TTLs involved.',
  ],
  availability: [
    'Open the check and confirm the failure from another location (vigil probe --once --check ID).',
    'Check the service logs and recent deploys; roll back when the failure started with a change.',
  ],
  other: ['Read the alert description and the linked Prometheus graph to see what fired.'],
};

/** Recommendations for the category, led by the alert's own runbook when it links one. */
export function recommendationsFor(category: AlertCategory, annotations: Readonly<Record<string, string>>): string[] {
  const runbook = annotations['runbook_url'] ?? annotations['runbook'];
  const lead = runbook !== undefined && /^https?:\/\//i.test(runbook) ? [`Follow the runbook: ${runbook}`] : [];
  return [...lead, ...RECOMMENDATIONS[category]];
}

export function impactOf(
  category: AlertCategory,
  labels: Readonly<Record<string, string>>,
  affectedChecks: number,
): string {
  const target = labels['service'] ?? labels['component'] ?? labels['check'] ?? labels['instance'] ?? labels['job'];
  const severity = labels['severity'] ?? 'unknown severity';
  const where = target === undefined ? '' : ` on ${target}`;
  const spread = affectedChecks > 1 ? `; ${affectedChecks} checks affected` : '';
  return `${severity} ${category === 'other' ? '' : `${category} `}problem${where}${spread}`;
}
