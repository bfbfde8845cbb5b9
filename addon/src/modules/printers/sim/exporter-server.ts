/**
 * Fake OctoPrint Prometheus exporters serving a `VirtualPrinter`, in the text that
 * prometheus_client renders for the metrics these plugins declare (see prometheus/map.ts):
 * - `sbelectronics`: own server, `/metrics` (port 8000 in real life);
 * - `tg44`: `/plugin/prometheus_exporter/metrics`, names of plugin 0.2+;
 * - `tg44-legacy`: same path, names before 0.2, with the stale series of an earlier job that
 *   the old plugin never removed.
 */
import { FakeHttpServer, type Reply } from './http-server.js';
import type { SimState, VirtualPrinter } from './virtual-printer.js';

export type ExporterKind = 'sbelectronics' | 'tg44' | 'tg44-legacy';

/** Python float repr, as prometheus_client prints values. */
function fmt(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

const SB_STATE: Record<SimState, string> = {
  disconnected: 'idle',
  idle: 'idle',
  printing: 'printing',
  pausing: 'printing',
  paused: 'printing',
  cancelling: 'printing',
  error: 'failed',
};

const TG_STATE: Record<SimState, [string, string]> = {
  disconnected: ['OFFLINE', 'Offline'],
  idle: ['OPERATIONAL', 'Operational'],
  printing: ['PRINTING', 'Printing'],
  pausing: ['PAUSING', 'Pausing'],
  paused: ['PAUSED', 'Paused'],
  cancelling: ['CANCELLING', 'Cancelling'],
  error: ['CLOSED_WITH_ERROR', 'Offline after error'],
};

class Text {
  readonly lines: string[] = [];
  family(name: string, help: string, type: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    return this;
  }
  sample(name: string, value: number, labels: Record<string, string> = {}): this {
    const l = Object.entries(labels)
      .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
      .join(',');
    this.lines.push(`${name}${l ? `{${l}}` : ''} ${fmt(value)}`);
    return this;
  }
}

export function renderSbelectronics(p: VirtualPrinter): string {
  const t = new Text();
  t.family('python_gc_objects_collected_total', 'Objects collected during gc', 'counter');
  t.sample('python_gc_objects_collected_total', 1524, { generation: '0' });
  t.family('printer_state', 'State of printer', 'gauge');
  for (const s of ['init', 'printing', 'done', 'failed', 'cancelled', 'idle'])
    t.sample('printer_state', SB_STATE[p.state] === s ? 1 : 0, { printer_state: s });
  t.family('temperature_bed_actual', 'Actual Temperature in Celsius of Bed', 'gauge');
  t.sample('temperature_bed_actual', p.bed.actual);
  t.family('temperature_bed_target', 'temperature_bed_target', 'gauge');
  t.sample('temperature_bed_target', p.bed.target);
  p.tools.forEach((tool, i) => {
    t.family(`temperature_tool${i}_actual`, 'Actual Temperature in Celsius of Extruder Hot End', 'gauge');
    t.sample(`temperature_tool${i}_actual`, tool.actual);
    t.family(`temperature_tool${i}_target`, `temperature_tool${i}_target`, 'gauge');
    t.sample(`temperature_tool${i}_target`, tool.target);
  });
  if (p.job) {
    t.family('progress', 'Progress percentage of print', 'gauge');
    t.sample('progress', Math.floor(p.progress));
    t.family('printing', '1 if printing, 0 otherwise', 'gauge');
    t.sample('printing', p.state === 'printing' ? 1 : 0);
    t.family('print_info', 'Filename information about print', 'gauge');
    t.sample('print_info', 1, { name: p.job.file, origin: 'local', path: p.job.file });
  }
  return `${t.lines.join('\n')}\n`;
}

export function renderTg44(p: VirtualPrinter, legacy: boolean): string {
  const t = new Text();
  const temp = legacy ? 'octoprint_temperatures' : 'octoprint_printer_temperatures';
  t.family(
    legacy ? 'octoprint_infos_info' : 'octoprint_server_info_info',
    'Octoprint host informations',
    'gauge',
  );
  t.sample(legacy ? 'octoprint_infos_info' : 'octoprint_server_info_info', 1, {
    app_start: '1700000000',
    host: 'octopi',
    octoprint_version: '1.11.8',
    platform: 'linux',
  });
  for (const kind of ['actual', 'target'] as const) {
    t.family(
      `${temp}_${kind}`,
      kind === 'actual' ? 'Reported temperatures' : 'Targeted temperatures',
      'gauge',
    );
    p.tools.forEach((tool, i) => {
      t.sample(`${temp}_${kind}`, tool[kind], { identifier: `T${i}` });
    });
    t.sample(`${temp}_${kind}`, p.bed[kind], { identifier: 'B' });
  }
  const [id, text] = TG_STATE[p.state];
  t.family('octoprint_printer_state_info', 'Printer connection info', 'gauge');
  t.sample('octoprint_printer_state_info', 1, { state_id: id, state_string: text });
  t.family('octoprint_started_prints_total', 'Started print jobs', 'counter');
  t.sample('octoprint_started_prints_total', p.counters.started);
  t.family('octoprint_done_prints_total', 'Done print jobs', 'counter');
  t.sample('octoprint_done_prints_total', p.counters.done);
  const progress = legacy ? 'octoprint_print_progress' : 'octoprint_job_progress';
  const elapsed = legacy ? 'octoprint_print_time_elapsed' : 'octoprint_job_time_elapsed_seconds';
  const left = legacy ? 'octoprint_print_time_left_estimate' : 'octoprint_job_time_left_estimate_seconds';
  t.family(progress, 'Print progress', 'gauge');
  if (legacy) t.sample(progress, 100, { path: 'old/earlier.gcode' });
  if (p.job) t.sample(progress, Math.floor(p.progress), { path: p.job.file });
  if (p.job) {
    t.family(elapsed, 'Print time elapsed', 'gauge');
    t.sample(elapsed, Math.floor(p.elapsed), { path: p.job.file });
    t.family(left, 'Print time left estimate', 'gauge');
    t.sample(left, Math.ceil(p.remaining), { path: p.job.file });
  }
  return `${t.lines.join('\n')}\n`;
}

export class FakeExporter {
  readonly http: FakeHttpServer;

  constructor(
    readonly printer: VirtualPrinter,
    readonly kind: ExporterKind,
    private readonly apiKey = '',
  ) {
    this.http = new FakeHttpServer(
      (req, url) => this.route(url, String(req.headers['x-api-key'] ?? '')),
      undefined,
    );
  }

  get url(): string {
    return this.http.url;
  }

  get metricsUrl(): string {
    return `${this.url}${this.kind === 'sbelectronics' ? 'metrics' : 'plugin/prometheus_exporter/metrics'}`;
  }

  async listen(port = 0): Promise<this> {
    await this.http.listen(port);
    return this;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private route(url: URL, key: string): Reply {
    const path = this.kind === 'sbelectronics' ? '/metrics' : '/plugin/prometheus_exporter/metrics';
    if (url.pathname !== path) return { status: 404, raw: { type: 'text/plain', data: 'Not Found' } };
    if (this.apiKey && key !== this.apiKey)
      return { status: 403, raw: { type: 'text/plain', data: 'Forbidden' } };
    const text =
      this.kind === 'sbelectronics'
        ? renderSbelectronics(this.printer)
        : renderTg44(this.printer, this.kind === 'tg44-legacy');
    return { status: 200, raw: { type: 'text/plain; version=0.0.4; charset=utf-8', data: text } };
  }
}
