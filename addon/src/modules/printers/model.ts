/**
 * The one printer model, whatever the source (OctoPrint, Moonraker, Prometheus exporter).
 * Sources turn their payloads into a `PrinterStatus`; `toValues` flattens it into the device's
 * JSON state that the entities read. Pure: no I/O here.
 */

export const PRINTER_STATES = [
  'offline', // the host does not answer (switched off, network down)
  'disconnected', // the host answers but the printer is not connected to it (OctoPrint 409)
  'connecting',
  'idle',
  'printing',
  'pausing',
  'paused',
  'resuming',
  'cancelling',
  'finishing',
  'error',
  'unknown',
] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

/** States in which a job is loaded and running or held. */
export const JOB_STATES: ReadonlySet<PrinterState> = new Set([
  'printing',
  'pausing',
  'paused',
  'resuming',
  'cancelling',
  'finishing',
]);

export type SourceType = 'octoprint' | 'moonraker' | 'prometheus';
export type CommandName = 'pause' | 'resume' | 'cancel';
/** How the status reaches us: pushed by the printer, polled, or not at all (offline). */
export type LinkMode = 'push' | 'poll' | 'none';

export interface Temperature {
  actual: number | null;
  target: number | null;
}

export interface PrinterStatus {
  state: PrinterState;
  /** The host answered the last request. */
  online: boolean;
  /** 0–100. */
  progress: number | null;
  /** Seconds printed so far. */
  elapsed: number | null;
  /** Seconds left (the source's estimate). */
  remaining: number | null;
  file: string | null;
  layer: number | null;
  layer_total: number | null;
  /** `tool0`, `tool1`… */
  tools: Record<string, Temperature>;
  bed: Temperature | null;
  chamber: Temperature | null;
  snapshot_url: string | null;
  /** The printer's own error text (thermal runaway, serial error…). */
  error_message: string | null;
  /** "OctoPrint 1.11.8", "Moonraker v0.9.3"… */
  software: string | null;
  link: LinkMode;
  /** Why we cannot talk to the printer (timeout, 403…); null when all is well. */
  problem: string | null;
}

export function emptyStatus(): PrinterStatus {
  return {
    state: 'unknown',
    online: false,
    progress: null,
    elapsed: null,
    remaining: null,
    file: null,
    layer: null,
    layer_total: null,
    tools: {},
    bed: null,
    chamber: null,
    snapshot_url: null,
    error_message: null,
    software: null,
    link: 'none',
    problem: null,
  };
}

/** The status of a printer whose host does not answer: everything unknown but the reason. */
export function offlineStatus(previous: PrinterStatus, problem: string): PrinterStatus {
  return {
    ...emptyStatus(),
    state: 'offline',
    online: false,
    software: previous.software,
    snapshot_url: null,
    link: 'none',
    problem,
  };
}

/** A finite number, or null (NaN, Infinity, strings and nulls become null). */
export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function round(v: number | null, digits: number): number | null {
  if (v === null) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Heater keys present in a status, in a stable order: tools, bed, chamber. */
export function heaterKeys(s: PrinterStatus): string[] {
  const keys = Object.keys(s.tools).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (s.bed) keys.push('bed');
  if (s.chamber) keys.push('chamber');
  return keys;
}

function heater(s: PrinterStatus, key: string): Temperature | null {
  if (key === 'bed') return s.bed;
  if (key === 'chamber') return s.chamber;
  return s.tools[key] ?? null;
}

/** ETA rounded to the minute, so that a ticking countdown does not republish it every second. */
export function etaOf(remaining: number | null, now: number): string | null {
  if (remaining === null || remaining < 0) return null;
  const t = new Date(Math.round((now + remaining * 1000) / 60_000) * 60_000);
  // A printer's absurd estimate (1e300 s) is beyond any date: no ETA rather than a RangeError.
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

/**
 * Seconds to the second under two minutes, to 10 s above: a countdown then changes the state
 * every 10 s rather than every second, and nobody reads a long print's time to the second.
 */
export function quantiseSeconds(v: number | null): number | null {
  if (v === null || v < 0) return v === null ? null : 0;
  return v < 120 ? Math.round(v) : Math.round(v / 10) * 10;
}

/** Flattens a status into the device's JSON state (keys read by the entities). */
export function toValues(s: PrinterStatus, now: number): Record<string, unknown> {
  const inJob = JOB_STATES.has(s.state);
  const v: Record<string, unknown> = {
    state: s.state,
    online: s.online,
    printing: s.state === 'printing' || s.state === 'resuming' || s.state === 'finishing',
    error: s.state === 'error',
    error_message: s.error_message,
    progress: round(s.progress, 1),
    elapsed: quantiseSeconds(s.elapsed),
    remaining: quantiseSeconds(s.remaining),
    eta: inJob && s.state !== 'paused' ? etaOf(s.remaining, now) : null,
    file: s.file,
    layer: s.layer,
    layer_total: s.layer_total,
    snapshot_url: s.snapshot_url,
    link: s.link,
    problem: s.problem,
    // The problem binary sensor's attribute: what the link problem is (URL, errno, HTTP status).
    problem_details: s.problem ? { detail: s.problem } : {},
  };
  for (const k of heaterKeys(s)) {
    const h = heater(s, k);
    v[`${k}_temperature`] = round(h?.actual ?? null, 1);
    v[`${k}_target`] = round(h?.target ?? null, 1);
  }
  return v;
}

export const JOB_EVENTS = ['started', 'paused', 'resumed', 'done', 'cancelled', 'failed'] as const;
export type JobEvent = (typeof JOB_EVENTS)[number];

const running = (s: PrinterState) => s === 'printing' || s === 'resuming' || s === 'finishing';

/** Whether going from state `a` to state `b` starts a job (the `started` event). */
export function startsJob(a: PrinterState, b: PrinterState): boolean {
  return a === 'idle' && running(b);
}

/**
 * The job event a state transition means, whatever the source, or undefined. Only transitions
 * between known states count: a Monitor (re)start or a printer coming back online fires nothing.
 * A job that ends is `ended`: done or cancelled is decided by `endOfJob` a moment later, because
 * OctoPrint announces the state change before the final progress.
 */
export function jobEvent(prev: PrinterStatus, next: PrinterStatus): JobEvent | 'ended' | undefined {
  const a = prev.state;
  const b = next.state;
  if (a === b || a === 'unknown' || a === 'offline' || b === 'offline' || b === 'unknown') return undefined;
  if (b === 'error' && JOB_STATES.has(a)) return 'failed';
  if (startsJob(a, b)) return 'started';
  if (b === 'paused' && a !== 'pausing') return running(a) ? 'paused' : undefined;
  if (a === 'pausing' && b === 'paused') return 'paused';
  if (a === 'paused' && running(b)) return 'resumed';
  if (b === 'idle' && a === 'cancelling') return 'cancelled';
  if (b === 'idle' && JOB_STATES.has(a)) return 'ended';
  return undefined;
}

/** Done when the job reached 100 %, cancelled otherwise. */
export function endOfJob(settled: PrinterStatus): 'done' | 'cancelled' {
  return (settled.progress ?? 0) >= 99.95 ? 'done' : 'cancelled';
}

/** How long after a job ended its final progress is read (OctoPrint pushes it ≤ 0.5 s later). */
export const JOB_END_SETTLE_MS = 1500;
