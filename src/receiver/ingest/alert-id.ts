// Alert ids: UUIDv7 (RFC 9562), a millisecond timestamp followed by random bits. Ids that grow with time keep the
// primary-key index and every index that leads with the alert id appending at its end, instead of dirtying a random
// page per new alert; they also sort in arrival order. Random enough that no one can guess another alert's id.

import { randomBytes } from 'node:crypto';

export function newAlertId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  const time = BigInt(now);
  for (let index = 0; index < 6; index += 1) bytes[index] = Number((time >> BigInt(8 * (5 - index))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
