// Looking up the SLA windows of model/sla-window.ts by name, and the time range each covers.

import { SLA_WINDOWS, type SlaWindow, type SlaWindowDefinition } from '../model/sla-window.js';

const BY_NAME = new Map<string, SlaWindowDefinition>(SLA_WINDOWS.map((window) => [window.name, window]));

export function isSlaWindow(value: string): value is SlaWindow {
  return BY_NAME.has(value);
}

export function slaWindow(name: SlaWindow): SlaWindowDefinition {
  return BY_NAME.get(name)!;
}

/** The window ending now. */
export function windowRange(window: SlaWindow, now: number): { from: number; to: number } {
  return { from: now - slaWindow(window).durationMs, to: now };
}
