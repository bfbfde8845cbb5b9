/**
 * Metrics of the two OctoPrint Prometheus exporters → the printer model. Metric names come
 * from their sources:
 * - sbelectronics/octoprint-prometheus (own HTTP server, `:8000/metrics`): `printer_state`
 *   (enum: init, printing, done, failed, cancelled, idle), `printing`, `progress`,
 *   `temperature_<bed|toolN>_<actual|target>`, `print_info{name,path,origin}`;
 * - tg44/OctoPrint-Prometheus-Exporter (`/plugin/prometheus_exporter/metrics`), two naming
 *   generations: before 0.2 `octoprint_temperatures_actual{identifier}`,
 *   `octoprint_print_progress{path}`, `octoprint_print_time_elapsed{path}`,
 *   `octoprint_print_time_left_estimate{path}`, `octoprint_infos_info`; from 0.2
 *   `octoprint_printer_temperatures_actual{identifier}`, `octoprint_job_progress{path}`,
 *   `octoprint_job_time_elapsed_seconds{path}`, `octoprint_job_time_left_estimate_seconds{path}`,
 *   `octoprint_server_info_info`; both `octoprint_printer_state_info{state_id,state_string}`.
 * Pure.
 */
import { safeParser } from '../boundary.js';
import { JOB_STATES, type PrinterState, type PrinterStatus, type Temperature } from '../model.js';
import { stateFromText } from '../octoprint/parse.js';
import { metricValue, type ParsedMetrics, type Sample, samplesOf } from './parse.js';

export type ExporterFlavour = 'sbelectronics' | 'tg44' | 'unknown';

export function flavourOf(m: ParsedMetrics): ExporterFlavour {
  if (m.samples.some((s) => s.name.startsWith('octoprint_'))) return 'tg44';
  if (m.samples.some((s) => s.name === 'printer_state' || /^temperature_(bed|tool\d+)_actual$/.test(s.name)))
    return 'sbelectronics';
  return 'unknown';
}

/** OctoPrint's parsed temperature keys (T0, T1, B, C) → heater keys of the model. */
export function heaterOf(identifier: string): string | undefined {
  if (identifier === 'B') return 'bed';
  if (identifier === 'C') return 'chamber';
  if (identifier === 'T') return 'tool0';
  const m = /^T(\d+)$/.exec(identifier);
  return m ? `tool${m[1]}` : undefined;
}

type Heaters = Pick<PrinterStatus, 'tools' | 'bed' | 'chamber'>;

function setHeater(h: Heaters, key: string, field: keyof Temperature, value: number): void {
  if (!Number.isFinite(value)) return;
  let t: Temperature;
  if (key === 'bed') t = h.bed ??= { actual: null, target: null };
  else if (key === 'chamber') t = h.chamber ??= { actual: null, target: null };
  else t = h.tools[key] ??= { actual: null, target: null };
  t[field] = value;
}

function tg44Heaters(m: ParsedMetrics): Heaters {
  const h: Heaters = { tools: {}, bed: null, chamber: null };
  for (const [field, names] of [
    ['actual', ['octoprint_printer_temperatures_actual', 'octoprint_temperatures_actual']],
    ['target', ['octoprint_printer_temperatures_target', 'octoprint_temperatures_target']],
  ] as const) {
    for (const name of names)
      for (const s of samplesOf(m, name)) {
        const key = heaterOf(s.labels.identifier ?? '');
        if (key) setHeater(h, key, field, s.value);
      }
  }
  return h;
}

function sbHeaters(m: ParsedMetrics): Heaters {
  const h: Heaters = { tools: {}, bed: null, chamber: null };
  for (const s of m.samples) {
    const r = /^temperature_(bed|chamber|tool\d+)_(actual|target)$/.exec(s.name);
    if (r) setHeater(h, r[1] as string, r[2] as keyof Temperature, s.value);
  }
  return h;
}

/**
 * The job's sample among several `path` labels (older tg44 keeps finished jobs' series):
 * during a job the one still below 100 %, otherwise the highest.
 */
function jobSample(samples: Sample[], inJob: boolean): Sample | undefined {
  const finite = samples.filter((s) => Number.isFinite(s.value));
  const running = finite.filter((s) => s.value < 100);
  const pool = inJob && running.length ? running : finite;
  return pool.reduce<Sample | undefined>((best, s) => (!best || s.value > best.value ? s : best), undefined);
}

function firstOf(m: ParsedMetrics, names: string[], labels: Record<string, string>): number | null {
  for (const n of names) {
    const v = metricValue(m, n, labels);
    if (v !== null) return v;
  }
  return null;
}

function tg44Status(m: ParsedMetrics): Partial<PrinterStatus> {
  const info = samplesOf(m, 'octoprint_printer_state_info')[0];
  let state: PrinterState = 'unknown';
  if (info) state = stateFromText(info.labels.state_string ?? info.labels.state_id?.toLowerCase());
  const progressSamples = [
    ...samplesOf(m, 'octoprint_job_progress'),
    ...samplesOf(m, 'octoprint_print_progress'),
  ];
  const job = jobSample(progressSamples, JOB_STATES.has(state));
  const path = job?.labels.path;
  const byPath: Record<string, string> = path === undefined ? {} : { path };
  const server = samplesOf(m, 'octoprint_server_info_info')[0] ?? samplesOf(m, 'octoprint_infos_info')[0];
  const version = server?.labels.octoprint_version;
  return {
    state,
    progress: job ? job.value : null,
    file: path ? (path.split('/').pop() ?? path) : null,
    elapsed: job
      ? firstOf(m, ['octoprint_job_time_elapsed_seconds', 'octoprint_print_time_elapsed'], byPath)
      : null,
    remaining: job
      ? firstOf(m, ['octoprint_job_time_left_estimate_seconds', 'octoprint_print_time_left_estimate'], byPath)
      : null,
    software: version ? `OctoPrint ${version} (tg44 exporter)` : 'OctoPrint (tg44 exporter)',
    ...tg44Heaters(m),
  };
}

const SB_STATES: Record<string, PrinterState> = {
  init: 'idle',
  idle: 'idle',
  printing: 'printing',
  done: 'idle',
  failed: 'idle',
  cancelled: 'idle',
};

function sbStatus(m: ParsedMetrics): Partial<PrinterStatus> {
  const current = samplesOf(m, 'printer_state').find((s) => s.value === 1);
  let state: PrinterState = current
    ? (SB_STATES[current.labels.printer_state ?? ''] ?? 'unknown')
    : 'unknown';
  if (state === 'unknown' && metricValue(m, 'printing') === 1) state = 'printing';
  const info = samplesOf(m, 'print_info')[0];
  return {
    state,
    progress: metricValue(m, 'progress'),
    file: info?.labels.name || null,
    elapsed: null,
    remaining: null,
    software: 'OctoPrint (sbelectronics exporter)',
    ...sbHeaters(m),
  };
}

/** Parsed metrics → partial status, or a reason when these are not a known exporter's. */
function statusFromMetricsUnchecked(m: ParsedMetrics): Partial<PrinterStatus> | string {
  switch (flavourOf(m)) {
    case 'tg44':
      return tg44Status(m);
    case 'sbelectronics':
      return sbStatus(m);
    default:
      return m.samples.length === 0
        ? 'no metrics in the answer'
        : 'not an OctoPrint exporter (unknown metric names)';
  }
}

/** Never throws (boundary.ts): a surprise is a problem text, as for unknown metrics. */
export const statusFromMetrics = safeParser(statusFromMetricsUnchecked, () => 'unexpected metrics');
