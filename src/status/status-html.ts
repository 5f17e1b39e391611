// The status page as one server-rendered HTML document: readable without JavaScript, no requests beyond itself
// (inline style sheet, no fonts, scripts or images), refreshed by the browser every minute. Every text comes through
// the escaping `html` tag: component and check names come from config files, messages from the probed targets.

import { slaWindow } from '../sla/windows.js';
import type { DayBar } from './daily-bars.js';
import { CHECK_STATE_TEXT, COMPONENT_STATUS_TEXT, OVERALL_STATUS_TEXT } from './derive-status.js';
import { DAY_MS } from '../sla/rollup.js';
import { formatDuration, formatPercent, formatSince, formatUtc, utcDay } from './format.js';
import { html, SafeHtml } from './html.js';
import { STATUS_CSS } from './status-css.js';
import {
  BAR_DAYS,
  RECENT_DAYS,
  type CheckView,
  type ComponentView,
  type IncidentView,
  type MaintenanceView,
  type PeriodUptime,
  type StatusView,
} from './status-view.js';

export const REFRESH_SECONDS = 60;

/** Bars shown on narrow screens (the CSS hides the older ones). */
const SHORT_BAR_DAYS = 30;

export interface RenderOptions {
  /** Appended to the links to check pages (`?token=…` for a private view opened with the token in its URL). */
  linkQuery?: string;
}

export function renderStatusPage(view: StatusView, options: RenderOptions = {}): string {
  const overall = OVERALL_STATUS_TEXT[view.status];
  const context: PageContext = { now: view.generatedAt, linkQuery: options.linkQuery ?? '' };
  return html`${documentHead(`${view.title} · ${overall}`, view.includesPrivate)}
<body>
<main>
<header>
<h1>${view.title}</h1>
${view.description !== undefined && html`<p>${view.description}</p>`}
${view.includesPrivate && html`<span class="private">Private view: private components are shown</span>`}
</header>
<p class="banner s-${view.status}" role="status">${overall}</p>
${currentIncidents(view.incidents.current)}
${maintenanceSection(view.maintenance)}
${componentsSection(view.components, context)}
${recentIncidents(view.incidents.recent)}
</main>
${pageFooter(view.generatedAt)}
</body>
</html>
`.value;
}

interface PageContext {
  now: number;
  linkQuery: string;
}

/** When the page was made and how it stays current: the last line of every status page. */
export function pageFooter(generatedAt: number): SafeHtml {
  return html`<footer>Generated <time datetime="${new Date(generatedAt).toISOString()}">${formatUtc(generatedAt)}</time>
· refreshes every ${REFRESH_SECONDS} s · times in UTC</footer>`;
}

/** The document up to `<body>`, shared by the status page and the check pages: refreshing, styled, no script. */
export function documentHead(title: string, includesPrivate: boolean): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
${includesPrivate && html`<meta name="robots" content="noindex, nofollow">`}
<title>${title}</title>
<style>${new SafeHtml(STATUS_CSS)}</style>
</head>`;
}

function componentsSection(components: readonly ComponentView[], context: PageContext): SafeHtml {
  const body =
    components.length === 0
      ? html`<p class="empty">No components are configured.</p>`
      : components.map((view) => component(view, context));
  return html`<section aria-labelledby="components-title">
<h2 id="components-title">Components</h2>
<div class="card">${body}</div>
${legend()}
</section>`;
}

function component(view: ComponentView, context: PageContext): SafeHtml {
  const firstDay = view.dataSince === undefined ? undefined : utcDay(view.dataSince);
  return html`<article class="item component" id="component-${view.id}">
<div class="head"><div><span class="name">${view.name}</span>${!view.public && html`<span class="tag">private</span>`}${
    view.description !== undefined && html`<p class="desc">${view.description}</p>`
  }</div><span class="state t-${view.status}">${COMPONENT_STATUS_TEXT[view.status]}</span></div>
${uptimeRow(view.uptime, context.now)}
<div class="bars" aria-label="Daily uptime, last ${BAR_DAYS} days">${view.days.map((day) => bar(day, firstDay))}</div>
<div class="scale" aria-hidden="true"><span class="long">${BAR_DAYS} days ago</span><span class="short">${SHORT_BAR_DAYS} days ago</span>${
    view.dataSince !== undefined &&
    view.dataSince > context.now - BAR_DAYS * DAY_MS &&
    html`<span>Monitored since ${formatSince(view.dataSince, context.now)}</span>`
  }<span>Today</span></div>
<ul class="checks" aria-label="Checks">${view.checks.map((c) => check(c, context.linkQuery))}</ul>
</article>`;
}

/**
 * A figure resting on less than its window says since when ("since 10:42"); one resting on too little to judge is
 * not coloured by its SLA status.
 */
function uptimeRow(uptime: readonly PeriodUptime[], now: number): SafeHtml | false {
  const first = uptime[0];
  if (first === undefined) return false;
  const periods = uptime.map(
    (u) =>
      html`<li class="${u.judged ? u.status : 'unjudged'}">${slaWindow(u.period).text} <b>${u.uptimePercent === undefined ? '–' : `${formatPercent(u.uptimePercent)} %`}</b>${
        u.since !== undefined &&
        u.uptimePercent !== undefined &&
        html` <small>since ${formatSince(u.since, now)}</small>`
      }</li>`,
  );
  return html`<ul class="uptime" aria-label="Uptime">${periods}<li>SLA target <b>${first.targetPercent} %</b></li></ul>`;
}

/**
 * The title is both the tooltip and, for an element with role img, its accessible name. Days before the first result
 * are not "no data" days of a running monitor: they are drawn fainter and say so.
 */
function bar(day: DayBar, firstDay: string | undefined): SafeHtml {
  if (day.level === 'none' && (firstDay === undefined || day.day < firstDay)) {
    return html`<span class="none before" role="img" title="${day.day}: before monitoring started"></span>`;
  }
  return html`<span class="${day.level}" role="img" title="${day.label}"></span>`;
}

function check(view: CheckView, linkQuery: string): SafeHtml {
  const reason = view.state === 'down' || view.state === 'degraded' ? view.reason : undefined;
  const checked = view.checkedAt === undefined ? 'not checked yet' : `checked ${formatUtc(view.checkedAt)}`;
  return html`<li title="${view.message ? `${view.message} (${checked})` : checked}"><a href="checks/${encodeURIComponent(view.id)}${linkQuery}"><span class="dot s-${view.state}"></span>${view.name}: <span class="t-${view.state}">${CHECK_STATE_TEXT[view.state]}</span>${reason && ` (${reason})`}</a></li>`;
}

function legend(): SafeHtml {
  return html`<ul class="legend" aria-label="Legend">
<li><span class="ok"></span>No downtime</li><li><span class="minor"></span>Degraded, or under 1 % down</li>
<li><span class="major"></span>Over 1 % down</li><li><span class="maintenance"></span>Maintenance</li>
<li><span class="none"></span>No data</li></ul>`;
}

function currentIncidents(incidents: readonly IncidentView[]): SafeHtml | false {
  if (incidents.length === 0) return false;
  return html`<section aria-labelledby="current-title">
<h2 id="current-title">Current incidents</h2>
<div class="card">${incidents.map((incident) => incidentItem(incident, 'Ongoing'))}</div>
</section>`;
}

function recentIncidents(incidents: readonly IncidentView[]): SafeHtml {
  const body =
    incidents.length === 0
      ? html`<p class="empty">No incidents in the last ${RECENT_DAYS} days.</p>`
      : incidents.map((incident) => incidentItem(incident, 'Resolved'));
  return html`<section aria-labelledby="recent-title">
<h2 id="recent-title">Past incidents (last ${RECENT_DAYS} days)</h2>
<div class="card">${body}</div>
</section>`;
}

export function incidentItem(incident: IncidentView, state: 'Ongoing' | 'Resolved'): SafeHtml {
  const when =
    incident.closedAt === undefined
      ? `since ${formatUtc(incident.openedAt)}`
      : timeRange(incident.openedAt, incident.closedAt);
  const failures = `${incident.failures} failed ${incident.failures === 1 ? 'check' : 'checks'}`;
  const where = incident.components.length > 0 ? `${incident.components.join(', ')} · ` : '';
  const message = incident.closedAt === undefined ? incident.lastMessage : incident.firstMessage;
  return html`<article class="item incident">
<div class="head"><span class="name">${incident.checkName}</span><span class="state ${state === 'Ongoing' ? 't-down' : 't-operational'}">${state}</span></div>
<p class="meta">${where}${when} (${formatDuration(incident.durationMs)}) · ${failures} · reason: ${incident.firstReason}</p>
<p class="msg">${message}</p>
</article>`;
}

function maintenanceSection(windows: readonly MaintenanceView[]): SafeHtml | false {
  if (windows.length === 0) return false;
  return html`<section aria-labelledby="maintenance-title">
<h2 id="maintenance-title">Maintenance</h2>
<div class="card">${windows.map(maintenanceItem)}</div>
</section>`;
}

function maintenanceItem(window: MaintenanceView): SafeHtml {
  return html`<article class="item">
<div class="head"><span class="name">${window.description ?? window.id}</span><span class="state t-maintenance">${window.ongoing ? 'In progress' : 'Scheduled'}</span></div>
<p class="meta">${timeRange(window.start, window.end)} · ${window.components.join(', ')}</p>
</article>`;
}

/** "2026-11-20 14:05 – 14:17 UTC" within one day, else both dates in full. */
function timeRange(start: number, end: number): string {
  const from = formatUtc(start);
  const to = formatUtc(end);
  if (from.slice(0, 10) !== to.slice(0, 10)) return `${from} – ${to}`;
  return `${from.slice(0, -4)} – ${to.slice(11)}`;
}
