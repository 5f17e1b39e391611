// The JSON log lines a Vigil process wrote (pino, one object a line): what an operator would find in its log.

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** pino's numbers: debug is 20, info 30, warn 40, error 50. */
export const LOG_LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return []; // a line still being written
      }
    });
}
