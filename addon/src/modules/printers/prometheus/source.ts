/**
 * A printer seen only through a Prometheus exporter: the metrics page is polled at the
 * configured interval. Read-only (no pause/resume/cancel). A URL without a path is tried at
 * `/metrics` (sbelectronics, port 8000) then `/plugin/prometheus_exporter/metrics` (tg44).
 */
import { joinUrl, request } from '../http.js';
import type { CommandName } from '../model.js';
import { AUTH_HINT, BaseSource, type CommandResult } from '../source.js';
import { statusFromMetrics } from './map.js';
import { parsePrometheusText } from './parse.js';

export const EXPORTER_PATHS = ['metrics', 'plugin/prometheus_exporter/metrics'];

export function metricsCandidates(url: string): string[] {
  const u = new URL(url);
  if (u.pathname !== '/' && u.pathname !== '') return [url];
  return EXPORTER_PATHS.map((p) => joinUrl(url, p).toString());
}

export class PrometheusSource extends BaseSource {
  readonly type = 'prometheus' as const;
  readonly supportsCommands = false;
  private chosen: string | undefined;

  start(): void {
    this.repeat(() => this.poll());
  }

  private async poll(): Promise<void> {
    const candidates = this.chosen ? [this.chosen] : metricsCandidates(this.opts.url);
    let lastProblem = '';
    for (const url of candidates) {
      const r = await request<string>(url, {
        apiKey: this.opts.apiKey,
        timeoutMs: this.opts.timeoutMs,
        expect: 'text',
        signal: this.abort.signal,
      });
      if (this.stopped) return;
      if (!r.ok) {
        if (r.kind === 'timeout' || r.kind === 'network' || r.kind === 'auth') {
          this.markProblem(r, r.kind === 'auth' ? AUTH_HINT : '');
          return;
        }
        lastProblem = r.message;
        continue;
      }
      const metrics = parsePrometheusText(String(r.data));
      const partial = statusFromMetrics(metrics);
      if (typeof partial === 'string') {
        lastProblem = `${url.replace(/\?.*$/, '')}: ${partial}`;
        continue;
      }
      if (metrics.invalid.length > 0)
        this.opts.log.debug(() => `${this.opts.name}: ${metrics.invalid.length} metric line(s) skipped`);
      this.chosen = url;
      this.update({
        ...partial,
        online: true,
        link: 'poll',
        problem: null,
        error_message: null,
        snapshot_url: this.opts.snapshotUrl || null,
      });
      return;
    }
    this.update({ online: true, state: 'unknown', link: 'none', problem: lastProblem || 'no metrics' });
  }

  async command(cmd: CommandName): Promise<CommandResult> {
    return { ok: false, outcome: 'unsupported', message: `${cmd}: a Prometheus exporter is read-only` };
  }
}
