// Evidence for an alert read over the prober's HTTP API (`receiver.prober_url`), for a receiver that shares no store
// with the prober: the same gathering as from the store (gatherEvidence), its reads answered by the API. The API
// names the checks the prober runs but not where they point, so their targets come from this receiver's own loaded
// checks (same id and type), as do the maintenance windows. A prober that is down, slow or answering junk never
// fails a diagnosis: the evidence falls back to the alert's labels, and its source notes say why.

import { Agent } from 'undici';
import type { CheckDefinition } from '../../model/check.js';
import type { DiagnosisEvidence, EvidenceSourceNote } from '../../model/diagnosis.js';
import type { MaintenanceWindow } from '../../model/maintenance.js';
import { evidenceFromLabels } from './from-labels.js';
import { gatherEvidence } from './from-store.js';
import { ProberApiError, ProberApiStore, type ProberCheck } from './prober-api-store.js';
import type { DiagnosisSubject } from './subject.js';

export interface ProberApiEvidenceOptions {
  /** This receiver's loaded checks: the targets of the checks the prober runs. */
  checks: readonly CheckDefinition[];
  maintenance: readonly MaintenanceWindow[];
  /** VIGIL_ADMIN_TOKEN, sent as a bearer token when set. */
  adminToken?: string;
  /** How long one gathering may take over the API, all its requests together; default 5 s. */
  timeoutMs?: number;
  /** Largest answer read; default 8 MiB (the check list of 10,000 checks is about 5 MB). */
  maxResponseBytes?: number;
  /** How long the prober's check list is reused before it is read again; default 30 s. */
  checksTtlMs?: number;
  /** How far back results are read; default 60 minutes. */
  lookbackMs?: number;
  /** How far back incidents are read; default 7 days. */
  incidentLookbackMs?: number;
}

/** Gathers the evidence of one alert at `now`; never throws. `close` releases its connections. */
export type ProberApiEvidence = ((subject: DiagnosisSubject, now: number) => Promise<DiagnosisEvidence>) & {
  close(): Promise<void>;
};

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 ** 2;
const DEFAULT_CHECKS_TTL_MS = 30_000;

export function proberApiEvidence(url: string, options: ProberApiEvidenceOptions): ProberApiEvidence {
  const base = baseUrlOf(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent = new Agent({ connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const checksTtlMs = options.checksTtlMs ?? DEFAULT_CHECKS_TTL_MS;
  let proberChecks: { readAt: number; checks: Promise<ProberCheck[]> } | undefined;

  const checksOf = (store: ProberApiStore): Promise<ProberCheck[]> => {
    const readAt = Date.now();
    if (proberChecks === undefined || readAt - proberChecks.readAt >= checksTtlMs) {
      const checks = store.checks();
      const entry = { readAt, checks };
      proberChecks = entry;
      // A failed read is not reused: the next alert asks again.
      checks.catch(() => {
        if (proberChecks === entry) proberChecks = undefined;
      });
    }
    return proberChecks.checks;
  };

  const read = async (subject: DiagnosisSubject, now: number): Promise<DiagnosisEvidence> => {
    if (base === undefined) return labelsFallback(subject, now, 'receiver.prober_url is not an http(s) URL');
    const store = new ProberApiStore({
      baseUrl: base,
      ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
      dispatcher: agent,
      signal: AbortSignal.timeout(timeoutMs),
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    });
    try {
      const checks = definitionsOf(await checksOf(store), options.checks);
      const evidence = await gatherEvidence(subject, {
        store,
        checks,
        maintenance: options.maintenance,
        now,
        ...(options.lookbackMs === undefined ? {} : { lookbackMs: options.lookbackMs }),
        ...(options.incidentLookbackMs === undefined ? {} : { incidentLookbackMs: options.incidentLookbackMs }),
      });
      return { ...evidence, sources: overTheApi(evidence.sources, base) };
    } catch (error) {
      const why = error instanceof ProberApiError ? error.message : `unexpected error: ${String(error)}`;
      return labelsFallback(subject, now, `the prober's API at ${base} could not be read: ${why}`);
    }
  };
  return Object.assign(read, { close: () => agent.close() });
}

/** The receiver's definitions of the checks the prober runs, with the prober's names and grouping. */
function definitionsOf(proberChecks: readonly ProberCheck[], local: readonly CheckDefinition[]): CheckDefinition[] {
  const localById = new Map(local.map((check) => [check.id, check]));
  return proberChecks.flatMap((prober) => {
    const own = localById.get(prober.id);
    if (own === undefined || own.type !== prober.type) return [];
    const { name, group, component, service } = prober;
    return [{ ...own, name, group, component, service }];
  });
}

/** The notes gatherEvidence writes of the store, said of the prober's API instead. */
function overTheApi(sources: readonly EvidenceSourceNote[], base: string): EvidenceSourceNote[] {
  return sources.map((note, index) => {
    if (note.source !== 'store') return note;
    const where = index === 0 ? `, read from the prober's API at ${base}` : '';
    return { ...note, source: 'prober_api', ...(note.note === undefined ? {} : { note: `${note.note}${where}` }) };
  });
}

function labelsFallback(subject: DiagnosisSubject, now: number, why: string): DiagnosisEvidence {
  const evidence = evidenceFromLabels(subject, now);
  return { ...evidence, sources: [{ source: 'prober_api', available: false, note: why }, ...evidence.sources] };
}

/** The URL without credentials, query or trailing slash; undefined when it is not http(s). */
function baseUrlOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}
