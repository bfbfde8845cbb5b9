/**
 * Pure printer logic: finding Monitor's printers, resolving each printer's entities, and the
 * view a row shows (state, progress, end time, temperatures, commands), the fleet order
 * ("finishes next") and its one-line summary. No DOM.
 */
import { numericState, stateCode } from '../../shared/state.js';
import type { HassEntities, HassEntity } from '../../shared/types.js';
import {
  JOB_STATES,
  OFFLINE_STATES,
  PRINTER_FIELD_NAMES,
  PRINTER_FIELDS,
  type PrinterField,
} from './const.js';

export type PrinterEntities = Partial<Record<PrinterField, string>>;

/** Monitor printer prefixes (`monitor_printer_prusa_mk4`), from their state sensors. */
export function findPrinters(states: HassEntities): string[] {
  const out: string[] = [];
  for (const id of Object.keys(states)) {
    const m = /^sensor\.(\w*printer_[0-9a-z_]+?)_state$/.exec(id);
    if (m && (states[`sensor.${m[1]}_progress`] || states[`binary_sensor.${m[1]}_online`]))
      out.push(m[1] as string);
  }
  return out.sort();
}

/** Every field's entity: the mapping first, else the prefix's entity when HA has it. */
export function resolvePrinter(
  states: HassEntities,
  prefix: string | undefined,
  mapped: PrinterEntities,
): PrinterEntities {
  const out: PrinterEntities = {};
  for (const f of PRINTER_FIELD_NAMES) {
    const [domain, key] = PRINTER_FIELDS[f];
    const own = mapped[f];
    if (own) out[f] = own;
    else if (prefix && states[`${domain}.${prefix}_${key}`]) out[f] = `${domain}.${prefix}_${key}`;
  }
  return out;
}

/** Extra heaters of a Monitor printer (second tool, chamber), beyond the mapped tool and bed. */
export function extraHeaters(states: HassEntities, prefix: string | undefined): string[] {
  if (!prefix) return [];
  const out: string[] = [];
  for (const h of ['tool1', 'tool2', 'tool3', 'chamber']) {
    if (states[`sensor.${prefix}_${h}_temperature`]) out.push(h);
  }
  return out;
}

/** A printer's name: the common start of its entities' names ("Prusa MK4 State", "Prusa MK4 Progress"). */
export function printerName(names: string[], fallback: string): string {
  const words = names.filter(Boolean).map((n) => n.split(' '));
  if (words.length === 0) return fallback;
  if (words.length === 1) return (words[0] as string[]).join(' ');
  const first = words[0] as string[];
  let n = 0;
  while (n < first.length && words.every((w) => w[n] === first[n])) n++;
  return n > 0 ? first.slice(0, n).join(' ') : fallback;
}

export function prefixName(prefix: string): string {
  const slug = prefix.replace(/^.*?printer_/, '');
  return slug.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

function seconds(s: HassEntity | undefined): number | undefined {
  const n = numericState(s);
  if (n === undefined) return undefined;
  const unit = s?.attributes.unit_of_measurement;
  return unit === 'min' ? n * 60 : unit === 'h' ? n * 3600 : n;
}

function text(s: HassEntity | undefined): string | undefined {
  if (!s || s.state === '' || s.state === 'unknown' || s.state === 'unavailable') return undefined;
  return s.state;
}

/**
 * What a problem entity says is wrong. Monitor's is a binary sensor (device class problem)
 * with the detail (URL, errno, HTTP status) in its `detail` attribute; a mapped text sensor
 * of another integration says it in its state ("OK" when all is well).
 */
function problemText(s: HassEntity | undefined): string | undefined {
  if (s?.entity_id.startsWith('binary_sensor.')) {
    if (s.state !== 'on') return undefined;
    const detail = s.attributes.detail;
    return typeof detail === 'string' && detail !== '' ? detail : undefined;
  }
  const t = text(s);
  return t && t !== 'OK' ? t : undefined;
}

export interface Heater {
  key: string;
  actual?: number;
  target?: number;
}

export interface PrinterView {
  key: string;
  name: string;
  /** Monitor's state code (or the mapped entity's state). */
  state: string;
  offline: boolean;
  job: boolean;
  progress?: number;
  remaining?: number;
  elapsed?: number;
  /** When the print ends, ms since the epoch. */
  endsAt?: number;
  file?: string;
  layer?: number;
  layerTotal?: number;
  problem?: string;
  heaters: Heater[];
  snapshot?: { entity: string; url: string };
  commands: { pause?: string; resume?: string; cancel?: string };
  stateEntity?: string;
}

/** The state objects a view depends on, to tell whether it changed (HA keeps unchanged objects). */
export function watched(states: HassEntities, entities: PrinterEntities, heaters: string[], prefix?: string) {
  const ids = Object.values(entities).filter((x): x is string => !!x);
  for (const h of heaters) ids.push(`sensor.${prefix}_${h}_temperature`, `sensor.${prefix}_${h}_target`);
  return ids.map((id) => states[id]);
}

export function printerView(
  states: HassEntities,
  key: string,
  name: string,
  e: PrinterEntities,
  heaters: string[],
  prefix: string | undefined,
): PrinterView {
  const get = (f: PrinterField) => (e[f] ? states[e[f] as string] : undefined);
  const stateObj = get('state');
  const online = get('online');
  const raw = stateCode(stateObj) ?? (online?.state === 'off' ? 'offline' : 'unknown');
  const offline = OFFLINE_STATES.includes(raw) || online?.state === 'off';
  const state = offline && raw !== 'disconnected' ? 'offline' : raw;
  const job = !offline && JOB_STATES.includes(state);
  const view: PrinterView = { key, name, state, offline, job, heaters: [], commands: {} };
  if (e.state) view.stateEntity = e.state;
  if (!offline) {
    const progress = numericState(get('progress'));
    if (job && progress !== undefined) view.progress = Math.max(0, Math.min(100, progress));
    const remaining = seconds(get('remaining'));
    if (job && remaining !== undefined) view.remaining = remaining;
    const elapsed = seconds(get('elapsed'));
    if (job && elapsed !== undefined) view.elapsed = elapsed;
    // A paused print has no end time: it ends only once resumed.
    const running = job && state !== 'paused' && state !== 'pausing';
    const eta = text(get('eta'));
    const etaMs = eta ? Date.parse(eta) : Number.NaN;
    if (running && Number.isFinite(etaMs)) view.endsAt = etaMs;
    else if (running && remaining !== undefined) {
      const base = Date.parse(get('remaining')?.last_updated ?? '');
      if (Number.isFinite(base)) view.endsAt = base + remaining * 1000;
    }
    const file = text(get('file'));
    if (job && file) view.file = file;
    const layer = numericState(get('layer'));
    if (job && layer !== undefined) view.layer = layer;
    const total = numericState(get('layer_total'));
    if (job && total !== undefined && total > 0) view.layerTotal = total;
    const heat = (k: string, actual: HassEntity | undefined, target: HassEntity | undefined) => {
      if (!actual && !target) return;
      const h: Heater = { key: k };
      const a = numericState(actual);
      const t = numericState(target);
      if (a !== undefined) h.actual = a;
      if (t !== undefined) h.target = t;
      view.heaters.push(h);
    };
    heat('tool', get('tool_temperature'), get('tool_target'));
    for (const h of heaters.filter((x) => x !== 'chamber'))
      heat(h, states[`sensor.${prefix}_${h}_temperature`], states[`sensor.${prefix}_${h}_target`]);
    heat('bed', get('bed_temperature'), get('bed_target'));
    if (heaters.includes('chamber'))
      heat(
        'chamber',
        states[`sensor.${prefix}_chamber_temperature`],
        states[`sensor.${prefix}_chamber_target`],
      );
    const snap = get('snapshot');
    const pic = snap?.attributes.entity_picture;
    if (snap && typeof pic === 'string' && pic !== '' && snap.state !== 'unavailable') {
      // The image entity's state is the time of its last image: a new state is a new picture.
      view.snapshot = {
        entity: snap.entity_id,
        url: `${pic}${pic.includes('?') ? '&' : '?'}v=${encodeURIComponent(snap.state)}`,
      };
    }
    const usable = (f: 'pause' | 'resume' | 'cancel') => {
      const b = get(f);
      return b && b.state !== 'unavailable' ? b.entity_id : undefined;
    };
    const pause = usable('pause');
    const resume = usable('resume');
    const cancel = usable('cancel');
    if (pause && (state === 'printing' || state === 'resuming')) view.commands.pause = pause;
    if (resume && (state === 'paused' || state === 'pausing')) view.commands.resume = resume;
    if (cancel && job && state !== 'cancelling') view.commands.cancel = cancel;
  }
  const problem = problemText(get('problem'));
  if (problem && (state === 'error' || offline)) view.problem = problem;
  return view;
}

/** Jobs first, the one that ends soonest on top; then idle, error, offline; by name within each. */
export function fleetOrder(views: PrinterView[]): PrinterView[] {
  const rank = (v: PrinterView) => (v.job ? 0 : v.state === 'error' ? 1 : v.offline ? 3 : 2);
  return [...views].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.endsAt ?? Number.POSITIVE_INFINITY) - (b.endsAt ?? Number.POSITIVE_INFINITY) ||
      a.name.localeCompare(b.name),
  );
}

export interface FleetSummary {
  printing: number;
  idle: number;
  offline: number;
  error: number;
  next?: { name: string; endsAt: number };
}

export function fleetSummary(views: PrinterView[]): FleetSummary {
  const s: FleetSummary = { printing: 0, idle: 0, offline: 0, error: 0 };
  for (const v of views) {
    if (v.job) s.printing++;
    else if (v.offline) s.offline++;
    else if (v.state === 'error') s.error++;
    else s.idle++;
    if (v.job && v.endsAt !== undefined && (!s.next || v.endsAt < s.next.endsAt))
      s.next = { name: v.name, endsAt: v.endsAt };
  }
  return s;
}
