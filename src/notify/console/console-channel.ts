// The console channel: "sends" a notification as one info log line (fields channel, group, severity, text), so a
// setup with no provider configured still shows what would have gone out. Writing a log line cannot fail usefully,
// so it always answers `sent`.

import type { Logger } from '../../log.js';
import type { Notification } from '../../model/notification.js';
import type { Channel } from '../channel.js';
import { renderConsoleMessage, type ConsoleMessage } from './render.js';

export interface ConsoleChannelConfig {
  logger: Logger;
}

export function createConsoleChannel({ logger }: ConsoleChannelConfig): Channel<ConsoleMessage> {
  return {
    name: 'console',
    render: (notification: Notification) => renderConsoleMessage(notification),
    send: async (message) => {
      logger.info({ channel: 'console', ...message }, 'notification');
      return { kind: 'sent' };
    },
  };
}
