// The insight of `vigil report` written by the configured OpenAI-compatible model, from the report's figures alone:
// uptimes, targets, budgets, incident counts, durations and reasons, under the names checks.yml gives them. No
// target, URL, message or label leaves: the figures are the whole question. Like the AI diagnosis it gives up at
// the AI timeout, retries nothing and answers why it has no text (the built sentences are then shown), never throws.

import { OpenAI } from 'openai';

import type { AiSettings } from '../config/index.js';
import type { ReportFigures, UptimeFigures } from './report-figures.js';

export type AiInsight = { ok: true; text: string } | { ok: false; reason: string };

/** The answer shown at most: two or three sentences, and a model that rambles is cut. */
const MAX_TEXT = 800;
const UNUSED_API_KEY = 'not-needed';

const SYSTEM_PROMPT = [
  'You are the reliability analyst of Vigil, an uptime monitor. You receive the figures of an uptime report as JSON:',
  'the period, overall uptime against its SLA target and the error budget left, the same per service and component,',
  'the worst offending checks, and the incidents of the period with their durations and reasons.',
  'Write two or three sentences of insight for the team that owns these services: what stands out, what it cost',
  'against the target, and where to look first. Use only these figures; never invent causes. Plain text, no lists.',
].join('\n');

export async function aiInsight(
  figures: ReportFigures,
  settings: AiSettings,
  apiKey: string | undefined,
): Promise<AiInsight> {
  const client = new OpenAI({
    baseURL: settings.baseUrl,
    apiKey: apiKey === undefined || apiKey === '' ? UNUSED_API_KEY : apiKey,
    timeout: settings.timeoutMs,
    maxRetries: 0,
  });
  try {
    const completion = await client.chat.completions.create(
      {
        model: settings.model,
        max_tokens: settings.maxTokens,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: `Figures:\n${JSON.stringify(question(figures))}` },
        ],
      },
      { signal: AbortSignal.timeout(settings.timeoutMs) },
    );
    const choice = completion.choices[0];
    if (choice === undefined) return { ok: false, reason: 'no answer' };
    if (choice.finish_reason === 'length') return { ok: false, reason: 'truncated' };
    const text = (choice.message.content ?? '').replace(/\s+/g, ' ').trim();
    if (text === '' || (choice.message.refusal ?? '') !== '') return { ok: false, reason: 'no answer' };
    return { ok: true, text: text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…` };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** What the model is shown: the figures, rounded, without messages (they may quote a URL or a server's answer). */
function question(figures: ReportFigures): object {
  return {
    period: figures.period,
    overall: uptime(figures.overall),
    services: figures.services.map(uptime),
    components: figures.components.map(uptime),
    worst_offenders: figures.offenders.map((check) => ({ ...uptime(check), service: check.service })),
    incidents: figures.incidents.map((incident) => ({
      check: incident.checkId,
      open: incident.closedAt === undefined,
      duration_minutes: Math.round(incident.durationMinutes),
      reason: incident.reason,
    })),
  };
}

function uptime(figures: UptimeFigures): object {
  return {
    name: figures.name,
    checks: figures.checks,
    uptime_percent: figures.uptimePercent === undefined ? null : Number(figures.uptimePercent.toFixed(4)),
    target_percent: figures.targetPercent,
    downtime_minutes: Math.round(figures.downtimeMinutes),
    error_budget_remaining_percent:
      figures.errorBudgetRemainingPercent === undefined ? null : Math.round(figures.errorBudgetRemainingPercent),
    incidents: figures.incidents,
  };
}
