/**
 * The linky module: live values of each meter from its TIC line, and (with an Enedis token and
 * the Home Assistant websocket) the history and costs imported into long-term statistics.
 */
import type { ModuleContext, MonitorModule } from '../../core/module.js';
import { EnedisSync } from './enedis/sync.js';
import { type LinkyConfig, MeterLine } from './meter.js';

export class LinkyModule implements MonitorModule {
  readonly lines: MeterLine[] = [];
  enedis: EnedisSync | undefined;

  constructor(private readonly ctx: ModuleContext<LinkyConfig>) {}

  async start(): Promise<void> {
    const cfg = this.ctx.config;
    if (cfg.enedis.token) this.ctx.secrets.add(cfg.enedis.token);
    if (cfg.meters.length === 0 && !cfg.enedis.token)
      this.ctx.log.warn('no meter and no Enedis token configured: nothing to do');
    if (cfg.enedis.token) {
      this.enedis = new EnedisSync(this.ctx);
      await this.enedis.start();
    }
    for (const m of cfg.meters) {
      const line = new MeterLine(this.ctx, m);
      line.onTempo = (day, colour) => this.enedis?.recordTempo(day, colour);
      this.lines.push(line);
      await line.start();
    }
  }

  async stop(): Promise<void> {
    for (const l of this.lines.splice(0)) await l.stop();
    await this.enedis?.stop();
  }
}

export const create = (ctx: ModuleContext<LinkyConfig>) => new LinkyModule(ctx);
