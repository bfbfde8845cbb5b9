/**
 * OctoPrint payloads → the printer model. Pure functions; anything unexpected becomes null,
 * nothing throws. Shapes: https://docs.octoprint.org/en/master/api/datamodel.html (job,
 * progress, printer state, temperature) and the push `current`/`history` messages
 * (https://docs.octoprint.org/en/master/api/push.html), as served by OctoPrint 1.11.8
 * (transcript in test/printers/fixtures/octoprint-1.11.8-push-transcript.jsonl).
 */
import { safeParser } from '../boundary.js';
import { asObject } from '../http.js';
import { num, type PrinterState, type PrinterStatus, str, type Temperature } from '../model.js';

/** State from OctoPrint's flags (printer endpoint, push) or, without them, its state text. */
export function octoState(text: unknown, flagsIn?: unknown): PrinterState {
  const f = asObject(flagsIn);
  if (f) {
    if (f.error === true) return 'error';
    if (f.cancelling === true) return 'cancelling';
    if (f.pausing === true) return 'pausing';
    if (f.paused === true) return 'paused';
    if (f.resuming === true) return 'resuming';
    if (f.finishing === true) return 'finishing';
    if (f.printing === true) return 'printing';
    if (f.operational === true) return 'idle';
    if (f.closedOrError === true) return stateFromText(text) === 'connecting' ? 'connecting' : 'disconnected';
  }
  return stateFromText(text);
}

/** OctoPrint's state strings (octoprint/util/comm.py `getStateString`). */
export function stateFromText(text: unknown): PrinterState {
  if (typeof text !== 'string') return 'unknown';
  const t = text.toLowerCase();
  if (t.includes('error')) return 'error';
  if (t === 'offline' || t === 'closed') return 'disconnected';
  if (t.startsWith('opening') || t.startsWith('detecting') || t.startsWith('connecting')) return 'connecting';
  if (t === 'operational') return 'idle';
  if (t.startsWith('cancelling')) return 'cancelling';
  if (t.startsWith('pausing')) return 'pausing';
  if (t.startsWith('paused')) return 'paused';
  if (t.startsWith('resuming')) return 'resuming';
  if (t.startsWith('finishing')) return 'finishing';
  if (t.startsWith('printing') || t.startsWith('starting') || t.startsWith('sending file')) return 'printing';
  return 'unknown';
}

function temperature(v: unknown): Temperature | null {
  const o = asObject(v);
  if (!o) return null;
  const t = { actual: num(o.actual), target: num(o.target) };
  return t.actual === null && t.target === null ? null : t;
}

/** `{tool0: {actual, target}, bed: {...}, chamber: {...}}` → heaters; null when there are none. */
export function parseTemperatures(v: unknown): Pick<PrinterStatus, 'tools' | 'bed' | 'chamber'> | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const tools: Record<string, Temperature> = {};
  for (const [k, t] of Object.entries(o)) {
    if (!/^tool\d+$/.test(k)) continue;
    const parsed = temperature(t);
    if (parsed) tools[k] = parsed;
  }
  const bed = temperature(o.bed);
  const chamber = temperature(o.chamber);
  if (Object.keys(tools).length === 0 && !bed && !chamber) return undefined;
  return { tools, bed, chamber };
}

/** The `job` and `progress` objects (GET /api/job, push current) → job fields. */
export function parseJobProgress(
  jobIn: unknown,
  progressIn: unknown,
): Pick<PrinterStatus, 'file' | 'progress' | 'elapsed' | 'remaining'> {
  const file = asObject(asObject(jobIn)?.file);
  const progress = asObject(progressIn);
  const completion = num(progress?.completion);
  return {
    file: str(file?.display) ?? str(file?.name) ?? str(file?.path),
    progress: completion === null ? null : Math.min(100, Math.max(0, completion)),
    elapsed: num(progress?.printTime),
    remaining: num(progress?.printTimeLeft),
  };
}

/** GET /api/job → partial status (its `state` is a text without flags). */
function parseJobResponseUnchecked(data: unknown): Partial<PrinterStatus> | undefined {
  const o = asObject(data);
  if (!o || (!('job' in o) && !('state' in o))) return undefined;
  const out: Partial<PrinterStatus> = {
    ...parseJobProgress(o.job, o.progress),
    state: stateFromText(o.state),
  };
  if (typeof o.error === 'string' && o.error) out.error_message = o.error;
  return out;
}

/** GET /api/printer → state from flags, error text and temperatures. */
function parsePrinterResponseUnchecked(data: unknown): Partial<PrinterStatus> | undefined {
  const o = asObject(data);
  const st = asObject(o?.state);
  if (!o || !st) return undefined;
  const out: Partial<PrinterStatus> = {
    state: octoState(st.text, st.flags),
    error_message: str(st.error),
  };
  const temps = parseTemperatures(o.temperature);
  if (temps) Object.assign(out, temps);
  return out;
}

/**
 * A push `current` or `history` payload. Temperatures come as a list of points accumulated
 * since the last message: the last point is the present one; an empty list changes nothing.
 */
function parsePushStateUnchecked(payload: unknown): Partial<PrinterStatus> | undefined {
  const o = asObject(payload);
  const st = asObject(o?.state);
  if (!o || !st) return undefined;
  const out: Partial<PrinterStatus> = {
    state: octoState(st.text, st.flags),
    error_message: str(st.error),
    ...parseJobProgress(o.job, o.progress),
  };
  if (Array.isArray(o.temps) && o.temps.length > 0) {
    const temps = parseTemperatures(o.temps[o.temps.length - 1]);
    if (temps) Object.assign(out, temps);
  }
  return out;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0']);

/**
 * A webcam URL as seen from Monitor. OctoPrint stores it as seen from the printer's host:
 * relative (`/webcam/?action=snapshot`, resolved against the printer's URL) or on loopback
 * (`http://127.0.0.1:8080/?action=snapshot`, the OctoPi default), where the printer's host
 * name replaces the loopback address.
 */
export function resolveCameraUrl(raw: string, base: string): string | null {
  try {
    const u = new URL(raw, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (LOOPBACK.has(u.hostname)) u.hostname = new URL(base).hostname;
    return u.toString();
  } catch {
    return null;
  }
}

/** GET /api/settings → the snapshot URL of the snapshot webcam (1.9+) or the classic setting. */
function snapshotFromSettingsUnchecked(data: unknown, base: string): string | null {
  const cam = asObject(asObject(data)?.webcam);
  if (!cam || cam.webcamEnabled === false) return null;
  const candidates: unknown[] = [cam.snapshotUrl];
  if (Array.isArray(cam.webcams)) {
    const named = cam.webcams.map(asObject).filter((w) => w !== undefined);
    const preferred = named.find((w) => w.name === cam.snapshotWebcam) ?? named[0];
    candidates.push(asObject(preferred?.compat)?.snapshot, preferred?.snapshotDisplay);
  }
  for (const c of candidates) {
    const s = str(c);
    if (s && /^(https?:\/\/|\/)/.test(s)) {
      const resolved = resolveCameraUrl(s, base);
      if (resolved) return resolved;
    }
  }
  return null;
}

/** GET /api/version → "OctoPrint 1.11.8". */
function softwareFromVersionUnchecked(data: unknown): string | null {
  const o = asObject(data);
  return str(o?.text) ?? (str(o?.server) ? `OctoPrint ${o?.server}` : null);
}

// The exported parsers never throw (boundary.ts): a surprise is "nothing usable".
export const parseJobResponse = safeParser(parseJobResponseUnchecked, () => undefined);
export const parsePrinterResponse = safeParser(parsePrinterResponseUnchecked, () => undefined);
export const parsePushState = safeParser(parsePushStateUnchecked, () => undefined);
export const snapshotFromSettings = safeParser(snapshotFromSettingsUnchecked, () => null);
export const softwareFromVersion = safeParser(softwareFromVersionUnchecked, () => null);
