// Structured JSON logs (pino) to stdout; one logger is created by the CLI and passed down.

import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env.VIGIL_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'vigil' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['*.password', '*.token', '*.authorization', '*.Authorization'], censor: '[redacted]' },
  });
}
