/**
 * The linky module: live values of each meter from its TIC line, and (with an Enedis token and
 * the Home Assistant websocket) the history and costs imported into long-term statistics.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleContext, MonitorModule } from '../../core/module.js';
import { EnedisSync } from './enedis/sync.js';
import { deviceIdOf } from './entities.js';
import { type LinkyConfig, MeterLine, MeterStates } from './meter.js';
import { savedMeterFiles } from './persist.js';

const RECENT_METER_MS = 30 * 86_400_000;

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
    this.keepRecentMeters();
    const states = new MeterStates(this.ctx);
    for (const m of cfg.meters) {
      const line = new MeterLine(this.ctx, m, Date.now, states);
      line.onTempo = (day, colour) => this.enedis?.recordTempo(day, colour);
      this.lines.push(line);
      await line.start();
    }
  }

  /**
   * A meter is declared with its first frame. One seen in the last 30 days (its state file) is
   * kept through the cleanup of earlier runs' leftovers, so that a cable unplugged at start does
   * not remove its entities (and their customisations) from Home Assistant.
   */
  private keepRecentMeters(): void {
    for (const { meterId, file } of savedMeterFiles(this.ctx.dataDir)) {
      try {
        if (Date.now() - statSync(join(this.ctx.dataDir, file)).mtimeMs < RECENT_METER_MS)
          this.ctx.entities.keepDevice(deviceIdOf(meterId));
      } catch {}
    }
  }

  async stop(): Promise<void> {
    for (const l of this.lines.splice(0)) await l.stop();
    await this.enedis?.stop();
  }
}

export const create = (ctx: ModuleContext<LinkyConfig>) => new LinkyModule(ctx);
