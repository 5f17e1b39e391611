// The hook the outbox worker runs before it renders a job's message: the receiver fills in what was not known when the
// notification was stored (each alert's diagnosis). The job must never suffer for it: a hook that fails, or has not
// answered within its limit, is logged and the notification goes as it was stored.

import type { Logger } from '../log.js';
import type { Notification } from '../model/notification.js';

/** The notification to render; `signal` fires when the worker stops or the hook's time is up. */
export type PrepareNotification = (
  notification: Notification,
  options: { signal: AbortSignal },
) => Promise<Notification>;

export interface PrepareOptions {
  prepare: PrepareNotification | undefined;
  /** The hook's time at most; past it the stored notification goes. */
  limitMs: number;
  stopSignal: AbortSignal;
  logger: Logger;
  /** For the log line. */
  fields: Record<string, unknown>;
}

export async function preparedNotification(stored: Notification, options: PrepareOptions): Promise<Notification> {
  const { prepare, limitMs, stopSignal, logger, fields } = options;
  if (prepare === undefined || stopSignal.aborted) return stored;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limitMs);
  const onStop = (): void => controller.abort();
  stopSignal.addEventListener('abort', onStop, { once: true });
  const givenUp = new Promise<undefined>((resolve) => {
    controller.signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  try {
    const prepared = await Promise.race([
      Promise.resolve().then(() => prepare(stored, { signal: controller.signal })),
      givenUp,
    ]);
    if (prepared !== undefined) return prepared;
    if (!stopSignal.aborted)
      logger.warn({ ...fields, limitMs }, 'preparing the notification took too long; sending it as stored');
    return stored;
  } catch (error) {
    logger.warn({ ...fields, err: error }, 'could not prepare the notification; sending it as stored');
    return stored;
  } finally {
    clearTimeout(timer);
    stopSignal.removeEventListener('abort', onStop);
    controller.abort();
  }
}
