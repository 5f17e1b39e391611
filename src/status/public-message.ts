// What a public viewer (the status page or the API without the admin token) is told about a check's result. A probe's
// own message names what it probed: hosts, ports, paths, the body it expected (`timed out after 3000 ms waiting for
// a response matching /^220/ from 10.0.4.7:25`). Visitors learn how the check is doing from its reason in neutral
// words; the raw message is for the admin token, or for every viewer when status-page.yml's `raw_messages: true`
// says the targets are public anyway.

import type { CheckStatus, FailureReason } from '../model/result.js';

const REASON_TEXT: Record<FailureReason, string> = {
  slow: 'responding slowly',
  timeout: 'not responding',
  dns: 'name does not resolve',
  connect: 'not reachable',
  tls: 'certificate problem',
  status_code: 'unexpected answer',
  header: 'unexpected answer',
  body: 'unexpected answer',
  json_path: 'unexpected answer',
  error: 'check failed',
  missed: 'not heard from',
};

const STATUS_TEXT: Record<CheckStatus, string> = {
  healthy: 'responding normally',
  degraded: 'responding slowly',
  down: 'check failed',
  unknown: 'not checked yet',
};

/** The neutral words for a result: by its reason when it failed, else by its status. */
export function neutralMessage(status: CheckStatus, reason: FailureReason | undefined): string {
  if (status !== 'healthy' && reason !== undefined) return REASON_TEXT[reason];
  return STATUS_TEXT[status];
}

/**
 * Neutral words for a failure's reason, for incidents (which store the reason of their first failure only, as text:
 * one stored by an older version may not be a reason of today's).
 */
export function neutralReason(reason: string): string {
  return Object.hasOwn(REASON_TEXT, reason) ? REASON_TEXT[reason as FailureReason] : STATUS_TEXT.down;
}

/** The message a viewer is shown: the probe's own with `raw`, else the neutral words. */
export function shownMessage(
  result: { status: CheckStatus; reason?: FailureReason | undefined; message: string },
  raw: boolean,
): string {
  return raw ? result.message : neutralMessage(result.status, result.reason);
}
