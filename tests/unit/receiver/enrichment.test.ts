// Category, impact, recommendations and links of an alert; URLs from a notification are untrusted, so only http(s)
// ones become links. The recommendations shown are the diagnosis's once there is one, the category's until then.

import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../src/model/alert.js';
import { categoryOf, impactOf, recommendationsFor } from '../../../src/receiver/enrichment/classify.js';
import { enrich, enrichmentView, PENDING_DIAGNOSIS } from '../../../src/receiver/enrichment/enrich.js';
import { linksFor, matcherFilter } from '../../../src/receiver/enrichment/links.js';

const base: AlertRecord = {
  id: 'a1',
  fingerprint: 'f',
  state: 'active',
  alertname: 'CheckDown',
  severity: 'critical',
  labels: { alertname: 'CheckDown', check: 'web', severity: 'critical' },
  annotations: {},
  startsAt: 0,
  lastStartsAt: 0,
  firstSeenAt: 0,
  lastSeenAt: 0,
  notificationCount: 1,
  updatedAt: 0,
};

describe('categoryOf', () => {
  it.each([
    ['CheckDown', {}, 'availability'],
    ['UptimeProbeFailed', {}, 'availability'],
    ['CheckSlow', {}, 'performance'],
    ['HighLatency', {}, 'performance'],
    ['CertificateExpiringSoon', {}, 'certificate'],
    ['TLSHandshakeFailing', {}, 'certificate'],
    ['SLABudgetBurn', {}, 'sla'],
    ['Resolution', { type: 'dns' }, 'dns'],
    ['Something', {}, 'other'],
  ])('%s %j → %s', (alertname, labels, category) => {
    expect(categoryOf(alertname, labels)).toBe(category);
  });
});

describe('impact and recommendations', () => {
  it('says what is hit and how widely', () => {
    expect(impactOf('availability', { severity: 'critical', service: 'checkout', check: 'web' }, 3)).toBe(
      'critical availability problem on checkout; 3 checks affected',
    );
    expect(impactOf('other', {}, 1)).toBe('unknown severity problem');
  });

  it('leads with the alert’s runbook when it is a web link, and ignores other schemes', () => {
    expect(recommendationsFor('dns', { runbook_url: 'https://wiki/dns' })[0]).toBe(
      'Follow the runbook: https://wiki/dns',
    );
    expect(recommendationsFor('dns', { runbook_url: 'javascript:alert(1)' })[0]).not.toContain('javascript');
  });
});

describe('links', () => {
  it('links Prometheus, the status page and a silence in Alertmanager’s UI', () => {
    const links = linksFor(
      { ...base, generatorUrl: 'http://prom:9090/graph?g0.expr=up', externalUrl: 'http://am:9093/' },
      { statusPageUrl: 'https://status.example.com', prometheusUrl: 'http://other-prom' },
    );
    expect(links).toEqual({
      prometheus: 'http://prom:9090/graph?g0.expr=up',
      statusPage: 'https://status.example.com/',
      silence: `http://am:9093/#/silences/new?filter=${encodeURIComponent('{alertname="CheckDown",check="web",severity="critical"}')}`,
    });
  });

  it('falls back to configured URLs, and never offers a non-http link from a notification', () => {
    const links = linksFor(
      { ...base, generatorUrl: 'javascript:alert(document.cookie)', externalUrl: 'data:text/html,<script>' },
      { prometheusUrl: 'http://prom:9090/', alertmanagerUrl: 'http://am:9093' },
    );
    expect(links.prometheus).toBe('http://prom:9090/alerts');
    expect(links.silence).toMatch(/^http:\/\/am:9093\/#\/silences\/new\?filter=/);
    expect(linksFor({ ...base, generatorUrl: 'javascript:x' }, {})).toEqual({});
  });

  it('escapes quotes in matcher values', () => {
    expect(matcherFilter({ b: 'say "hi"', a: 'x\\y' })).toBe('{a="x\\\\y",b="say \\"hi\\""}');
  });
});

describe('enrichmentView', () => {
  const enrichment = enrich(base, 1, 0);
  const diagnosis = {
    summary: 'TCP connect to web.internal:443 is refused',
    probable_cause: 'Likely nothing listens on web.internal:443.',
    evidence: ['3 consecutive failed results'],
    recommendations: ['nc -vz web.internal 443'],
    confidence: 'high' as const,
    source: 'rules' as const,
  };

  it("shows the category's recommendations and a pending diagnosis until a diagnosis exists", () => {
    const view = enrichmentView(base, enrichment, {});
    expect(view.recommendations).toEqual(recommendationsFor('availability', {}));
    expect(view.diagnosis).toEqual(PENDING_DIAGNOSIS);
  });

  it("shows the diagnosis's recommendations, and only those, once it exists", () => {
    const view = enrichmentView(base, { ...enrichment, diagnosis }, {});
    expect(view.recommendations).toEqual(['nc -vz web.internal 443']);
    expect(view.diagnosis).toEqual(diagnosis);
  });
});
