// Byte sizes: a plain integer or a string with a unit (`64KiB`, `1MiB`, `500KB`).

const UNIT_BYTES: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

export const SIZE_PATTERN = `^\\d+(?:${Object.keys(UNIT_BYTES).join('|')})$`;

const SIZE = new RegExp(`^(\\d+)(${Object.keys(UNIT_BYTES).join('|')})$`);

/** Bytes for an integer or a size string, or undefined when it is neither. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SIZE.exec(value);
  if (!match) return undefined;
  const bytes = Number(match[1]) * (UNIT_BYTES[match[2] ?? 'B'] ?? 1);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Inclusive bounds in bytes, with the wording used in messages. */
export interface SizeRange {
  min: number;
  max: number;
  minText: string;
  maxText: string;
}

export function sizeRangeProblem(value: unknown, range: SizeRange): string | undefined {
  const bytes = parseSize(value);
  if (bytes === undefined) return undefined;
  if (bytes < range.min) return `must be at least ${range.minText}, got ${String(value)}`;
  if (bytes > range.max) return `must be at most ${range.maxText}, got ${String(value)}`;
  return undefined;
}
