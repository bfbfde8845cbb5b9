/** Builds the source of a configured printer (the only place that knows every source type). */
import type { MonitorConfig } from '../../config/types.generated.js';
import type { Logger } from '../../core/logger.js';
import type { PrinterStatus } from './model.js';
import { MoonrakerSource } from './moonraker/source.js';
import { OctoPrintSource, type OctoPrintTuning } from './octoprint/source.js';
import { PrometheusSource } from './prometheus/source.js';
import type { PrinterSource, SourceOptions } from './source.js';

/** One entry of `printers.list`, as the config schema defines it (generated type). */
export type PrinterConfig = NonNullable<MonitorConfig['printers']>['list'][number];

/** Test and bench knobs (faster pings); production uses the defaults. */
export type SourceTuning = OctoPrintTuning;

export function createSource(
  p: PrinterConfig,
  log: Logger,
  onStatus: (s: PrinterStatus) => void,
  tuning: SourceTuning = {},
): PrinterSource {
  const opts: SourceOptions = {
    name: p.name,
    type: p.type,
    url: p.url,
    apiKey: p.api_key,
    intervalMs: Math.round(p.interval * 1000),
    timeoutMs: Math.round(p.timeout * 1000),
    push: p.push,
    snapshotUrl: p.snapshot_url,
    log,
    onStatus,
  };
  switch (p.type) {
    case 'moonraker':
      return new MoonrakerSource(opts, tuning.pingMs);
    case 'prometheus':
      return new PrometheusSource(opts);
    default:
      return new OctoPrintSource(opts, tuning);
  }
}
