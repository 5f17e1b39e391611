// Alertmanager's identity of an alert: the 64-bit FNV-1a hash of its label set, names sorted byte-wise, each name
// and value followed by the 0xff separator, printed as 16 hex digits (prometheus/common model.LabelSet.Fingerprint).
// Used when a sender leaves `fingerprint` out, so its alerts dedup exactly as Alertmanager's own would.

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

const encoder = new TextEncoder();

function addBytes(hash: bigint, bytes: Uint8Array): bigint {
  let sum = hash;
  for (const byte of bytes) sum = ((sum ^ BigInt(byte)) * FNV_PRIME) & MASK;
  return sum;
}

function addByte(hash: bigint, byte: number): bigint {
  return ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK;
}

/** Go sorts label names by their UTF-8 bytes, which differs from UTF-16 order outside the BMP. */
function byUtf8(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export function labelsFingerprint(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).map((name) => ({ name, bytes: encoder.encode(name) }));
  names.sort((a, b) => byUtf8(a.bytes, b.bytes));
  let hash = FNV_OFFSET;
  for (const { name, bytes } of names) {
    hash = addByte(addBytes(hash, bytes), SEPARATOR);
    hash = addByte(addBytes(hash, encoder.encode(labels[name] ?? '')), SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}
