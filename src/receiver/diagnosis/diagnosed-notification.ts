// What the outbox worker calls before it renders a message: the notification with each of its first firing alerts
// carrying the freshest diagnosis of its current firing, stored or in flight. It waits for the AI at most until the
// notification's acceptance plus the AI timeout, then goes with the rule diagnosis; the rules alone get a short grace
// past that (a retry long after acceptance starts them afresh). An alert it cannot diagnose keeps what was stored.

import type { PrepareNotification } from '../../delivery/prepared-notification.js';
import type { AlertDiagnosis } from '../../model/diagnosis.js';
import type { NotificationAlert } from '../../model/notification.js';
import type { AlertStore } from '../../store/alert-store.js';
import type { AlertDiagnoses } from './alert-diagnoses.js';
import { currentDiagnosis, isSettled } from './diagnosis-state.js';

/** Firing alerts diagnosed per message: the first few are what a message shows. */
export const DIAGNOSED_PER_NOTIFICATION = 10;
/** How long a delivery waits for the rule diagnosis past its deadline: it takes a few store reads. */
export const RULES_GRACE_MS = 2_000;

export interface DiagnosedNotificationOptions {
  diagnoses: AlertDiagnoses;
  alerts: Pick<AlertStore, 'get'>;
  /** The receiver's clock: `acceptedAt` is on it. */
  now: () => number;
  /** How long after acceptance a delivery waits for the AI (`ai.timeout`). */
  waitMs: number;
}

export function diagnosedNotification(options: DiagnosedNotificationOptions): PrepareNotification {
  return async (notification, { signal }) => {
    const firing = notification.alerts.filter((alert) => alert.status === 'firing');
    const chosen = firing.slice(0, DIAGNOSED_PER_NOTIFICATION);
    if (chosen.length === 0) return notification;
    const deadline = notification.acceptedAt + options.waitMs;
    const found = await Promise.all(chosen.map((alert) => diagnosisOf(alert, deadline, signal, options)));
    const diagnoses = new Map(chosen.map((alert, index) => [alert, found[index]]));
    return {
      ...notification,
      alerts: notification.alerts.map((alert) => {
        const diagnosis = diagnoses.get(alert);
        return diagnosis === undefined ? alert : { ...alert, diagnosis };
      }),
    };
  };
}

async function diagnosisOf(
  listed: NotificationAlert,
  deadline: number,
  signal: AbortSignal,
  { diagnoses, alerts, now }: DiagnosedNotificationOptions,
): Promise<AlertDiagnosis | undefined> {
  const alert = await alerts.get(listed.id);
  if (alert === undefined) return undefined;
  const stored = currentDiagnosis(alert);
  if (isSettled(stored, diagnoses.aiConfigured)) return stored;
  const run = diagnoses.run(alert);
  const remaining = deadline - now();
  const final = await settledWithin(run.final, remaining, signal);
  if (final !== undefined) return final;
  const rules = await settledWithin(run.rules, Math.max(remaining, RULES_GRACE_MS), signal);
  const shown = rules ?? stored;
  // The message says why the AI's answer is not in it; the answer, when it comes, is stored and shown in the API.
  return shown === undefined || !diagnoses.aiConfigured ? shown : { ...shown, fallback_reason: 'timeout' };
}

/** The promise's value when it resolves within `ms` (and before `signal`); undefined otherwise, or when it rejects. */
async function settledWithin<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}
