// One check's page (`/checks/{id}`): its state, its response-time chart over 24 hours or 7 days (links switch the
// range: no script), its latest results and its incidents. Same document rules as the status page: one inline style
// sheet, no scripts, every text through the escaping `html` tag.

import { CHECK_STATE_TEXT } from './derive-status.js';
import { DETAIL_RANGES, type CheckDetailView, type DetailRange } from './check-detail-view.js';
import { formatUtc } from './format.js';
import { html, type SafeHtml } from './html.js';
import { responseChart } from './response-chart.js';
import { documentHead, incidentItem, pageFooter } from './status-html.js';
import type { StatusResult } from './status-source.js';
import { RECENT_DAYS } from './status-view.js';

export interface DetailRenderOptions {
  /** The admin token of a private view opened with it in the URL, kept in the page's links. */
  token?: string;
}

export function renderCheckDetail(view: CheckDetailView, options: DetailRenderOptions = {}): string {
  const { check } = view;
  const query = (range?: DetailRange): string => {
    const params = new URLSearchParams();
    if (range !== undefined) params.set('range', range);
    if (options.token !== undefined) params.set('token', options.token);
    const text = params.toString();
    return text === '' ? '' : `?${text}`;
  };
  const rangeText = DETAIL_RANGES[view.range].text;
  const state = CHECK_STATE_TEXT[check.state];
  return html`${documentHead(`${check.name} · ${state} · ${view.pageTitle}`, view.includesPrivate)}
<body>
<main>
<p class="back"><a href="../${query()}">← ${view.pageTitle}</a></p>
<header>
<h1>${check.name}</h1>
<p>${view.components.join(', ')}${view.check.checkedAt !== undefined && ` · checked ${formatUtc(view.check.checkedAt)}`}</p>
${view.includesPrivate && html`<span class="private">Private view</span>`}
</header>
<p class="banner s-${check.state}" role="status">${state}${check.message !== '' && check.state !== 'operational' && html`<span class="why">${check.message}</span>`}</p>
<section aria-labelledby="chart-title">
<div class="section-head"><h2 id="chart-title">Response time, last ${rangeText}</h2>
<nav class="ranges" aria-label="Range">${(Object.keys(DETAIL_RANGES) as DetailRange[]).map((range) =>
    range === view.range
      ? html`<span aria-current="page">${DETAIL_RANGES[range].text}</span>`
      : html`<a href="${query(range)}">${DETAIL_RANGES[range].text}</a>`,
  )}</nav></div>
<div class="card chart-card">${responseChart(view.chart.buckets, view.chart.range, `Response time of ${check.name} over the last ${rangeText}`)}
<p class="chart-note">Mean response time per ${view.range === '24h' ? '15 minutes' : 'hour'} of the probes that got an answer; <span class="fail-key"></span> a failed probe; gaps: no results.</p></div>
</section>
<section aria-labelledby="results-title">
<h2 id="results-title">Latest results</h2>
<div class="card">${view.recent.length === 0 ? html`<p class="empty">No results in the last ${rangeText}.</p>` : resultsTable(view.recent)}</div>
</section>
<section aria-labelledby="incidents-title">
<h2 id="incidents-title">Incidents (last ${RECENT_DAYS} days)</h2>
<div class="card">${
    view.incidents.length === 0
      ? html`<p class="empty">No incidents in the last ${RECENT_DAYS} days.</p>`
      : view.incidents.map((incident) =>
          incidentItem(incident, incident.closedAt === undefined ? 'Ongoing' : 'Resolved'),
        )
  }</div>
</section>
</main>
${pageFooter(view.generatedAt)}
</body>
</html>
`.value;
}

const RESULT_STATE = { healthy: 'operational', degraded: 'degraded', down: 'down', unknown: 'unknown' } as const;

function resultsTable(results: readonly StatusResult[]): SafeHtml {
  return html`<table class="results"><thead><tr><th>Time</th><th>Status</th><th>Response</th><th>Message</th></tr></thead><tbody>${results.map(
    (result) =>
      html`<tr><td>${formatUtc(result.startedAt)}</td><td><span class="dot s-${RESULT_STATE[result.status]}"></span>${result.status}${result.inMaintenance && ' (maintenance)'}</td><td class="num">${Math.round(result.durationMs)} ms</td><td class="message">${result.message}</td></tr>`,
  )}</tbody></table>`;
}
