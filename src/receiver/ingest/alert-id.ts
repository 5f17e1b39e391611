// Alert ids: UUIDv7 (RFC 9562), a millisecond timestamp followed by random bits. Ids that grow with time keep the
// primary-key index and every index that leads with the alert id appending at its end, instead of dirtying a random
// page per new alert; they also sort in arrival order. Random enough that no one can guess another alert's id.

import { randomFillSync } from 'node:crypto';

/** Random bytes are drawn from the system a pool at a time: one call per id costs more than the rest of the id. */
const POOL_IDS = 256;
const RANDOM_BYTES = 10;
const pool = Buffer.alloc(POOL_IDS * RANDOM_BYTES);
let offset = pool.length;

function randomBytes(): Buffer {
  if (offset + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += RANDOM_BYTES;
  return pool.subarray(offset - RANDOM_BYTES, offset);
}

export function newAlertId(now: number = Date.now()): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now, 0, 6);
  randomBytes().copy(bytes, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
