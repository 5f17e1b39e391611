// `host:port` strings: listen addresses (`0.0.0.0:9470`, `:9470`, `[::1]:9470`) and probe targets (`db:5432`).

import type { ListenAddress } from './types.js';

const HOST = String.raw`\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]@]+`;
const PORT = String.raw`0|[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]`;
const NON_ZERO_PORT = String.raw`[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]`;

/** `host:port` with a port from 0 (let the system choose) to 65535; the host may be empty (all interfaces). */
export const LISTEN_ADDRESS_PATTERN = `^(?:${HOST})?:(?:${PORT})$`;
/** `host:port` of something to connect to: a host and a port from 1 to 65535. */
export const HOST_PORT_PATTERN = `^(?:${HOST}):(?:${NON_ZERO_PORT})$`;
/** A host with an optional port, e.g. a DNS server `127.0.0.1` or `127.0.0.1:5353`. */
export const HOST_OPTIONAL_PORT_PATTERN = `^(?:${HOST})(?::(?:${NON_ZERO_PORT}))?$`;

const LISTEN_ADDRESS = new RegExp(LISTEN_ADDRESS_PATTERN);
const HOST_PORT = new RegExp(HOST_PORT_PATTERN);

/** Splits `host:port`, unwrapping `[v6]`; assumes the text matched one of the patterns above. */
function split(text: string): ListenAddress {
  const colon = text.lastIndexOf(':');
  const host = text.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(text.slice(colon + 1)) };
}

/** `host:port`, `:port` (all IPv4 interfaces, host `0.0.0.0`) or `[v6]:port`; undefined when malformed. */
export function parseListenAddress(text: string): ListenAddress | undefined {
  if (!LISTEN_ADDRESS.test(text)) return undefined;
  const address = split(text);
  return address.host === '' ? { host: '0.0.0.0', port: address.port } : address;
}

/** A probe target `host:port`; undefined when malformed. */
export function parseHostPort(text: string): ListenAddress | undefined {
  return HOST_PORT.test(text) ? split(text) : undefined;
}
