/**
 * Moonraker (Klipper) payloads → the printer model. Pure. Object shapes from Moonraker's
 * docs/printer_objects.md (print_stats, virtual_sdcard, display_status, webhooks, extruder,
 * heater_bed, temperature_sensor) and docs/external_api (server/info, webcams list, file
 * metadata); HTTP answers wrap the documented result in `{"result": …}`.
 */
import { ownEntry, safeParser } from '../boundary.js';
import { asObject } from '../http.js';
import { num, type PrinterState, type PrinterStatus, str, type Temperature } from '../model.js';
import { resolveCameraUrl } from '../octoprint/parse.js';

export type Objects = Record<string, Record<string, unknown>>;

/** `{"result": x}` → x (HTTP answers); anything else → undefined. */
export function resultOf(body: unknown): unknown {
  const o = asObject(body);
  return o && 'result' in o ? o.result : undefined;
}

/** The printer objects worth subscribing to, among those Klipper has loaded. */
export function objectsToWatch(available: string[]): Record<string, null> {
  const wanted = new Set(['webhooks', 'print_stats', 'virtual_sdcard', 'display_status', 'heater_bed']);
  const out: Record<string, null> = {};
  for (const name of available) {
    if (wanted.has(name) || /^extruder\d*$/.test(name) || chamberObject(name)) out[name] = null;
  }
  // Without the list (older Moonraker), ask for the usual ones: unknown objects are omitted.
  if (available.length === 0) for (const n of [...wanted, 'extruder']) out[n] = null;
  return out;
}

/** `temperature_sensor chamber`, `heater_generic chamber`, `temperature_fan chamber`. */
function chamberObject(name: string): boolean {
  return /^(temperature_sensor|heater_generic|temperature_fan) chamber$/.test(name);
}

/** Applies a `notify_status_update` diff to the cached objects (fields replace, `info` merges). */
function mergeObjectsUnchecked(cache: Objects, diff: unknown): Objects {
  const d = asObject(diff);
  if (!d) return cache;
  const next: Objects = { ...cache };
  for (const [name, fields] of Object.entries(d)) {
    const f = asObject(fields);
    if (!f) continue;
    const merged = { ...(next[name] ?? {}), ...f };
    const oldInfo = asObject(next[name]?.info);
    const newInfo = asObject(f.info);
    if (oldInfo && newInfo) merged.info = { ...oldInfo, ...newInfo };
    next[name] = merged;
  }
  return next;
}

const JOB_STATE: Record<string, PrinterState> = {
  standby: 'idle',
  printing: 'printing',
  paused: 'paused',
  complete: 'idle',
  cancelled: 'idle',
  error: 'error',
};

function temperature(o: Record<string, unknown> | undefined): Temperature | null {
  if (!o) return null;
  const t = { actual: num(o.temperature), target: num(o.target) };
  return t.actual === null && t.target === null ? null : t;
}

/** Klippy state (webhooks.state or server/info klippy_state) when it is not `ready`. */
export function klippyState(state: unknown): PrinterState | undefined {
  if (state === 'ready') return undefined;
  if (state === 'startup') return 'connecting';
  if (state === 'shutdown' || state === 'error') return 'error';
  return 'disconnected';
}

function statusFromObjectsUnchecked(objs: Objects): Partial<PrinterStatus> {
  const ps = objs.print_stats ?? {};
  const klippy = objs.webhooks ? klippyState(objs.webhooks.state) : undefined;
  const state: PrinterState = klippy ?? ownEntry(JOB_STATE, ps.state) ?? 'unknown';
  const progress01 = num(objs.display_status?.progress) ?? num(objs.virtual_sdcard?.progress);
  const progress = progress01 === null ? null : Math.min(100, Math.max(0, progress01 * 100));
  const elapsed = num(ps.print_duration);
  // Like Mainsail's "file" estimate: time so far scaled by the progress through the file.
  const remaining =
    elapsed !== null &&
    progress01 !== null &&
    progress01 > 0.001 &&
    (state === 'printing' || state === 'paused')
      ? Math.max(0, elapsed / progress01 - elapsed)
      : null;
  const info = asObject(ps.info);
  const tools: Record<string, Temperature> = {};
  let chamber: Temperature | null = null;
  for (const [name, o] of Object.entries(objs)) {
    const m = /^extruder(\d*)$/.exec(name);
    if (m) {
      const t = temperature(o);
      if (t) tools[`tool${m[1] === '' ? 0 : m[1]}`] = t;
    } else if (chamberObject(name)) chamber = temperature(o);
  }
  const errorText = klippy ? str(objs.webhooks?.state_message) : state === 'error' ? str(ps.message) : null;
  // No file loaded (standby after SDCARD_RESET_FILE, or never printed): no job figures.
  const file = str(ps.filename);
  return {
    state,
    progress: file ? progress : null,
    elapsed: file ? elapsed : null,
    remaining,
    file,
    layer: num(info?.current_layer),
    layer_total: num(info?.total_layer),
    tools,
    bed: temperature(objs.heater_bed),
    chamber,
    error_message: errorText,
  };
}

/** GET /server/webcams/list → first enabled webcam's snapshot URL (relative to Moonraker's host). */
function snapshotFromWebcamsUnchecked(result: unknown, base: string): string | null {
  const list = asObject(result)?.webcams;
  if (!Array.isArray(list)) return null;
  for (const w of list.map(asObject)) {
    if (!w || w.enabled === false) continue;
    const s = str(w.snapshot_url);
    if (s) {
      const url = resolveCameraUrl(s, base);
      if (url) return url;
    }
  }
  return null;
}

/** GET /server/files/metadata → URL of the largest thumbnail, beside the G-code file. */
function thumbnailFromMetadataUnchecked(result: unknown, filename: string, base: string): string | null {
  const thumbs = asObject(result)?.thumbnails;
  if (!Array.isArray(thumbs)) return null;
  let best: { rel: string; size: number } | undefined;
  for (const t of thumbs.map(asObject)) {
    const rel = str(t?.relative_path);
    const size = (num(t?.width) ?? 0) * (num(t?.height) ?? 0);
    if (rel && (!best || size > best.size)) best = { rel, size };
  }
  if (!best) return null;
  const dir = filename.includes('/') ? `${filename.slice(0, filename.lastIndexOf('/'))}/` : '';
  const path = `${dir}${best.rel}`.split('/').map(encodeURIComponent).join('/');
  return new URL(`server/files/gcodes/${path}`, base.endsWith('/') ? base : `${base}/`).toString();
}

// The exported parsers never throw (boundary.ts): a surprise is "nothing usable".
export const mergeObjects = safeParser(mergeObjectsUnchecked, (cache) => cache);
export const statusFromObjects = safeParser(statusFromObjectsUnchecked, (): Partial<PrinterStatus> => ({}));
export const snapshotFromWebcams = safeParser(snapshotFromWebcamsUnchecked, () => null);
export const thumbnailFromMetadata = safeParser(thumbnailFromMetadataUnchecked, () => null);
