// The HTML part of an alert email: inline styles only (mail clients drop <style> and classes), a colour bar in the
// severity's colour, and every piece of label and annotation text escaped, since any of it may contain markup.

import type { AlertView, EmailView, LinkView } from './email-view.js';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

const FONT = 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1c2330;';
const MUTED = 'color:#5d6675;font-size:13px;';

export function emailHtml(view: EmailView): string {
  const alerts = view.alerts.map(alertHtml).join('\n');
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    `<body style="margin:0;padding:16px;background:#f5f6f8;${FONT}">`,
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"' +
      ` style="max-width:640px;margin:0 auto;background:#fff;border-top:6px solid ${view.colour};">`,
    `<tr><td style="padding:16px 20px;">`,
    `<h1 style="margin:0 0 6px;font-size:20px;color:${view.colour};">${escapeHtml(view.subject)}</h1>`,
    `<p style="margin:0 0 12px;">${escapeHtml(view.intro)}</p>`,
    alerts,
    moreHtml(view),
    '</td></tr></table>',
    '</body></html>',
  ].join('\n');
}

function alertHtml(alert: AlertView): string {
  const lines = [
    `<div style="border-left:4px solid ${alert.colour};padding:8px 12px;margin:12px 0;">`,
    `<p style="margin:0;font-size:16px;"><strong>${escapeHtml(alert.title)}</strong> — ${escapeHtml(alert.where)}</p>`,
    `<p style="margin:2px 0 6px;${MUTED}">${escapeHtml(alert.severity)} · ${escapeHtml(alert.since)}</p>`,
  ];
  if (alert.summary !== undefined) lines.push(paragraph(alert.summary));
  if (alert.description !== undefined) lines.push(paragraph(alert.description, MUTED));
  if (alert.diagnosis !== undefined) lines.push(paragraph(`Diagnosis: ${alert.diagnosis}`));
  if (alert.evidence.length > 0) {
    const items = alert.evidence.map((each) => `<li>${escapeHtml(each)}</li>`).join('');
    lines.push(`<p style="margin:6px 0 2px;${MUTED}">Evidence:</p><ul style="margin:0 0 6px;${MUTED}">${items}</ul>`);
  }
  if (alert.recommendations.length > 0) {
    const items = alert.recommendations.map((each) => `<li>${escapeHtml(each)}</li>`).join('');
    lines.push(`<p style="margin:6px 0 2px;">Recommendations:</p><ol style="margin:0 0 6px;">${items}</ol>`);
  }
  if (alert.impact !== undefined) lines.push(paragraph(`Impact: ${alert.impact}`));
  if (alert.links.length > 0) lines.push(`<p style="margin:6px 0 0;">${alert.links.map(linkHtml).join(' · ')}</p>`);
  lines.push('</div>');
  return lines.join('\n');
}

/** "…and N more: the full list" under a cut group, or a link to all alerts under a whole one. */
function moreHtml(view: EmailView): string {
  const more = view.more > 0 ? escapeHtml(`…and ${view.more} more`) : undefined;
  if (view.listUrl === undefined) return more === undefined ? '' : htmlParagraph(more);
  if (more === undefined) return htmlParagraph(linkHtml({ label: 'All alerts', url: view.listUrl }));
  return htmlParagraph(`${more}: ${linkHtml({ label: 'the full list', url: view.listUrl })}`);
}

/** A paragraph of untrusted text, escaped. */
function paragraph(text: string, style = ''): string {
  return htmlParagraph(escapeHtml(text), style);
}

/** A paragraph of markup this module built (every piece of text in it already escaped). */
function htmlParagraph(html: string, style = ''): string {
  return `<p style="margin:4px 0;${style}">${html}</p>`;
}

function linkHtml(link: LinkView): string {
  return `<a href="${escapeHtml(link.url)}" style="color:#3b7bd6;">${escapeHtml(link.label)}</a>`;
}
