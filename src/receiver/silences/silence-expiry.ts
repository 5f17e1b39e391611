// Expires the Alertmanager silences that committed changes asked for (a suppressed alert was resolved or expired).
// Runs after the commit: a failure is logged and counted, and the silence still ends at its own endsAt.

import type { Logger } from 'pino';
import type { AlertEvent } from '../../model/alert.js';
import { EXPIRE_SILENCE } from '../alert-closing.js';
import type { Silences } from './alertmanager-silences.js';

export type SilenceResult = 'created' | 'expired' | 'failed';

export async function expireRequestedSilences(
  events: readonly AlertEvent[],
  silences: Silences | undefined,
  logger: Logger,
  record: (operation: 'create' | 'expire', result: 'ok' | 'failed') => void,
): Promise<void> {
  if (silences === undefined) return;
  for (const event of events) {
    const id = event.detail[EXPIRE_SILENCE];
    if (typeof id !== 'string') continue;
    try {
      await silences.expire(id);
      record('expire', 'ok');
    } catch (error) {
      record('expire', 'failed');
      logger.warn(
        { err: error, alert: event.alertId, silence: id },
        'could not expire the silence of a resolved alert',
      );
    }
  }
}
