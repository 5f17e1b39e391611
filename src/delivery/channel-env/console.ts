// The console channel needs nothing: it is always there, and prints to the log what would have been sent.

import { createConsoleChannel } from '../../notify/console/console-channel.js';
import type { ChannelSetup, SetupContext } from './setup.js';

export function consoleFromEnv({ logger }: SetupContext): ChannelSetup {
  return { channel: createConsoleChannel({ logger }), recipients: [], problems: [] };
}
