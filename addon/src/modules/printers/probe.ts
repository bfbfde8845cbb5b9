/**
 * `monitor printers probe`: reads one printer once, with the same source code as the module,
 * and returns its status as the module sees it. Without `--type`, finds out what answers at the
 * URL: OctoPrint (`/api/version`), Moonraker (`/server/info`), then a Prometheus exporter.
 */
import type { Logger } from '../../core/logger.js';
import { createSource, type PrinterConfig } from './factory.js';
import { asObject, joinUrl, request, safeUrl } from './http.js';
import { type PrinterStatus, type SourceType, toValues } from './model.js';
import { resultOf } from './moonraker/parse.js';
import { statusFromMetrics } from './prometheus/map.js';
import { parsePrometheusText } from './prometheus/parse.js';
import { metricsCandidates } from './prometheus/source.js';

export interface ProbeOptions {
  url: string;
  apiKey: string;
  type?: SourceType;
  timeoutMs: number;
  log: Logger;
}

export interface ProbeResult {
  url: string;
  type: SourceType | null;
  status: PrinterStatus | null;
  /** The device's JSON state as published on MQTT. */
  values: Record<string, unknown> | null;
  /** Whether the push channel opened (OctoPrint, Moonraker). */
  push: boolean | null;
}

/** What kind of printer answers at `url`, or undefined. */
export async function detectType(
  url: string,
  apiKey: string,
  timeoutMs: number,
): Promise<SourceType | undefined> {
  const o = { apiKey, timeoutMs };
  const [octo, moon] = await Promise.all([
    request(joinUrl(url, 'api/version'), o),
    request(joinUrl(url, 'server/info'), o),
  ]);
  // A 403 on /api/version with JSON is OctoPrint refusing the key: still OctoPrint.
  const ov = asObject(octo.ok ? octo.data : (octo as { data?: unknown }).data);
  if ((octo.ok && (ov?.server || ov?.api)) || (!octo.ok && octo.kind === 'auth' && ov)) return 'octoprint';
  const mv = asObject(resultOf(moon.ok ? moon.data : undefined));
  if (mv && ('moonraker_version' in mv || 'klippy_state' in mv)) return 'moonraker';
  if (!moon.ok && moon.kind === 'auth') return 'moonraker';
  for (const candidate of metricsCandidates(url)) {
    const r = await request<string>(candidate, { ...o, expect: 'text' });
    if (r.ok && typeof statusFromMetrics(parsePrometheusText(String(r.data))) === 'object')
      return 'prometheus';
  }
  return undefined;
}

export async function probePrinter(opts: ProbeOptions): Promise<ProbeResult> {
  const type = opts.type ?? (await detectType(opts.url, opts.apiKey, opts.timeoutMs));
  if (!type) return { url: safeUrl(opts.url), type: null, status: null, values: null, push: null };
  const config: PrinterConfig = {
    name: 'probe',
    type,
    url: opts.url,
    api_key: opts.apiKey,
    interval: 3600,
    timeout: opts.timeoutMs / 1000,
    push: type !== 'prometheus',
    snapshot_url: '',
  };
  let latest: PrinterStatus | undefined;
  let pushed: () => void = () => {};
  const pushOpen = new Promise<void>((resolve) => {
    pushed = resolve;
  });
  const source = createSource(config, opts.log, (s) => {
    latest = s;
    if (s.link === 'push') pushed();
  });
  source.start();
  try {
    let status = await source.firstStatus();
    if (type !== 'prometheus' && status.online && status.problem === null) {
      // Give the push channel the time of one timeout to open: it tells whether live updates work.
      await Promise.race([pushOpen, new Promise((r) => setTimeout(r, opts.timeoutMs))]);
      status = latest ?? status;
    }
    return {
      url: safeUrl(opts.url),
      type,
      status,
      values: toValues(status, Date.now()),
      push: type === 'prometheus' ? null : status.link === 'push',
    };
  } finally {
    await source.stop();
  }
}
