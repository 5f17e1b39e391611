// Turns valid checks.yml data into normalised check definitions: inheritance from group and defaults applied,
// durations in milliseconds, each type's options at their defaults. Runs only once every rule has passed.

import type { CheckBase, CheckDefinition, PerformanceThresholds, PushCheck } from '../model/check.js';
import { parseHostPort } from './address.js';
import { checkEntries, inherited, inheritedThreshold, type CheckEntry } from './check-entries.js';
import { DEFAULT_INTERVAL } from './check-rules.js';
import { parseDuration } from './duration.js';
import { normalizeHttpCheck } from './normalize-http.js';
import type { RawCheck, RawGroup } from './schema/checks.js';
import type { ListenAddress } from './types.js';

const DEFAULT_TIMEOUT_MS = 10_000;
const DNS_PORT = 53;

export function normalizeChecks(root: unknown): CheckDefinition[] {
  return checkEntries(root).map((entry) => {
    const raw = entry.data as RawCheck;
    return normalizeCheck(raw, checkBase(entry, raw));
  });
}

function checkBase(entry: CheckEntry, raw: RawCheck): CheckBase {
  const group = entry.group?.data as RawGroup | undefined;
  const intervalMs = duration(inherited(entry, 'interval')?.value) ?? duration(DEFAULT_INTERVAL) ?? 60_000;
  const userTimeoutMs = duration(inherited(entry, 'timeout')?.value);
  return {
    id: raw.id,
    name: raw.name ?? raw.id,
    group: entry.groupName,
    component: raw.component ?? group?.component ?? entry.groupName,
    service: raw.service ?? group?.service ?? raw.id,
    intervalMs,
    timeoutMs: userTimeoutMs ?? (DEFAULT_TIMEOUT_MS < intervalMs ? DEFAULT_TIMEOUT_MS : Math.floor(intervalMs / 2)),
    enabled: raw.enabled ?? true,
    failureThreshold: (inherited(entry, 'failure_threshold')?.value as number | undefined) ?? 1,
    performance: performance(entry),
  };
}

function duration(value: unknown): number | undefined {
  return typeof value === 'string' ? parseDuration(value) : undefined;
}

function performance(entry: CheckEntry): PerformanceThresholds {
  const thresholds: PerformanceThresholds = {};
  const targetMs = inheritedThreshold(entry, 'target_ms')?.value;
  const warnMs = inheritedThreshold(entry, 'warn_threshold_ms')?.value;
  const criticalMs = inheritedThreshold(entry, 'critical_threshold_ms')?.value;
  if (typeof targetMs === 'number') thresholds.targetMs = targetMs;
  if (typeof warnMs === 'number') thresholds.warnMs = warnMs;
  if (typeof criticalMs === 'number') thresholds.criticalMs = criticalMs;
  return thresholds;
}

/**
 * The type's fields are added to `base` (a fresh literal) rather than spread into a new one: `{ ...base, type }` would
 * give each of 10,000 checks a hidden class of its own (src/copy-with.ts).
 */
function normalizeCheck(raw: RawCheck, base: CheckBase): CheckDefinition {
  const type = raw.type ?? 'http';
  if (type === 'http') return normalizeHttpCheck(raw, base);
  if (type === 'push') return normalizePushCheck(raw, base);
  const target = raw.target;
  if (target === undefined) throw new Error(`check ${base.id} passed validation without a target`);
  switch (type) {
    case 'tcp':
      return Object.assign(base, {
        type,
        ...hostPort(target),
        ...optional({ send: raw.send, expect: raw.expect as string | undefined }),
        tls: raw.tls ?? false,
        tlsVerify: raw.tls_verify ?? true,
      });
    case 'dns':
      return Object.assign(base, {
        type,
        query: target,
        recordType: raw.record_type ?? 'A',
        ...optional({ server: raw.server === undefined ? undefined : withDnsPort(raw.server) }),
        expect: raw.expect === undefined ? [] : [raw.expect].flat(),
      });
    case 'tls':
      return Object.assign(base, {
        type,
        ...hostPort(target),
        ...optional({ serverName: raw.server_name }),
        verify: raw.verify ?? true,
        minDaysRemaining: raw.min_days_remaining ?? 14,
      });
    case 'websocket':
      return Object.assign(base, {
        type,
        url: target,
        headers: { ...raw.headers },
        ...optional({ send: raw.send, expect: raw.expect as string | undefined }),
      });
    case 'postgres':
      return Object.assign(base, { type, connectionString: target, query: raw.query ?? 'SELECT 1' });
    case 'redis':
      return Object.assign(base, { type, url: target });
  }
}

/** The grace is also the timeout: the SLA lets one ping stand for two intervals and the grace (resultCapMs). */
function normalizePushCheck(raw: RawCheck, base: CheckBase): PushCheck {
  const graceMs = parseDuration(raw.grace ?? '0s') ?? 0;
  const token = raw.token_env !== undefined ? { env: raw.token_env } : { file: raw.token_file ?? '' };
  return Object.assign(base, { type: 'push' as const, timeoutMs: graceMs, graceMs, token });
}

function hostPort(target: string): ListenAddress {
  const address = parseHostPort(target);
  if (!address) throw new Error(`target ${target} passed validation without being host:port`);
  return address;
}

function withDnsPort(server: string): string {
  return /^(?:\[.*\]|[^:]+):\d+$/.test(server) ? server : `${server}:${DNS_PORT}`;
}

/** The entries whose value is set, so absent options stay absent rather than `undefined`. */
function optional<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
