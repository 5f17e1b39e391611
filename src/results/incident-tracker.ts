// Opens and closes incidents from a check's judged results. Pure state machine: results in (in time order per
// check), changed incidents out for the caller to save; ids come from an injected generator.
//
// - A `down` result opens an incident, or adds a failure to the open one.
// - It closes after `closeAfter` consecutive passing results (healthy or degraded); it is closed as of the first
//   of them, when the check was seen working again.
// - Flapping: a failure within `reopenWithinMs` of the close reopens that same incident instead of opening another.
// - `unknown` results (not run, disabled) neither fail nor pass.

import type { CheckResult } from '../model/result.js';
import type { Incident } from '../store/store.js';

export type TrackedResult = Pick<CheckResult, 'checkId' | 'status' | 'reason' | 'message' | 'startedAt'>;

export interface TrackerOptions {
  newId: () => string;
  /** Consecutive passing results that close an incident; default 1. */
  closeAfter?: number;
  /** A failure this soon after the close reopens the incident; default 5 minutes. */
  reopenWithinMs?: number;
}

interface CheckState {
  /** The open incident, or the last closed one while it may still reopen. */
  incident: Incident;
  passes: number;
  firstPassAt?: number;
}

export class IncidentTracker {
  private readonly newId: () => string;
  private readonly closeAfter: number;
  private readonly reopenWithinMs: number;
  private readonly states = new Map<string, CheckState>();

  /**
   * `restored`: the store's open incidents after a restart, plus those closed within `reopenWithinMs` so a flap
   * across the restart still reopens them. Per check the open one, else the last closed one, is kept.
   */
  constructor(options: TrackerOptions, restored: readonly Incident[] = []) {
    this.newId = options.newId;
    this.closeAfter = Math.max(1, options.closeAfter ?? 1);
    this.reopenWithinMs = options.reopenWithinMs ?? 300_000;
    for (const incident of restored) {
      const current = this.states.get(incident.checkId)?.incident;
      if (!current || rank(incident) > rank(current)) this.states.set(incident.checkId, { incident, passes: 0 });
    }
  }

  /** Feeds results in time order; returns each incident they changed once, in its latest state. */
  observe(results: readonly TrackedResult[]): Incident[] {
    const changed = new Map<string, Incident>();
    for (const result of results) {
      const incident = this.observeOne(result);
      if (incident) changed.set(incident.id, incident);
    }
    return [...changed.values()];
  }

  openIncident(checkId: string): Incident | undefined {
    const incident = this.states.get(checkId)?.incident;
    return incident && incident.closedAt === undefined ? incident : undefined;
  }

  private observeOne(result: TrackedResult): Incident | undefined {
    if (result.status === 'down') return this.fail(result);
    if (result.status === 'healthy' || result.status === 'degraded') return this.pass(result);
    return undefined;
  }

  private fail(result: TrackedResult): Incident {
    const state = this.states.get(result.checkId);
    const incident = state?.incident;
    if (!incident || (incident.closedAt !== undefined && result.startedAt - incident.closedAt > this.reopenWithinMs)) {
      return this.store(result.checkId, { incident: opened(result, this.newId()), passes: 0 });
    }
    const { closedAt: _reopened, ...stillOpen } = incident;
    const updated: Incident = {
      ...stillOpen,
      failures: incident.failures + 1,
      lastMessage: result.message,
      lastFailureAt: result.startedAt,
    };
    return this.store(result.checkId, { incident: updated, passes: 0 });
  }

  private pass(result: TrackedResult): Incident | undefined {
    const state = this.states.get(result.checkId);
    if (!state || state.incident.closedAt !== undefined) return undefined;
    const firstPassAt = state.firstPassAt ?? result.startedAt;
    const passes = state.passes + 1;
    if (passes < this.closeAfter) {
      this.states.set(result.checkId, { incident: state.incident, passes, firstPassAt });
      return undefined;
    }
    return this.store(result.checkId, { incident: { ...state.incident, closedAt: firstPassAt }, passes: 0 });
  }

  private store(checkId: string, state: CheckState): Incident {
    this.states.set(checkId, state);
    return state.incident;
  }
}

function opened(result: TrackedResult, id: string): Incident {
  return {
    id,
    checkId: result.checkId,
    openedAt: result.startedAt,
    firstReason: result.reason ?? 'error',
    firstMessage: result.message,
    lastMessage: result.message,
    failures: 1,
    lastFailureAt: result.startedAt,
  };
}

/** Open beats closed; otherwise the later one wins. */
function rank(incident: Incident): number {
  return incident.closedAt === undefined ? Number.POSITIVE_INFINITY : incident.closedAt;
}
