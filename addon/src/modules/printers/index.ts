/**
 * The printers module: one source and one Home Assistant device per configured printer.
 * Each printer lives on its own (own timers, own sockets, own errors): a printer that is off,
 * refuses the key or answers garbage changes its own device and nothing else.
 */
import type { MonitorConfig } from '../../config/types.generated.js';
import { translator } from '../../core/i18n.js';
import type { ModuleContext, MonitorModule } from '../../core/module.js';
import { deviceIdOf, type PrinterDeclaration, printerDevice, printerEntities } from './entities.js';
import { createSource, type PrinterConfig, type SourceTuning } from './factory.js';
import { printersDict } from './i18n.js';
import {
  type CommandName,
  endOfJob,
  heaterKeys,
  JOB_END_SETTLE_MS,
  type JobEvent,
  jobEvent,
  type PrinterStatus,
  toValues,
} from './model.js';
import type { PrinterSource } from './source.js';

export type PrintersConfig = NonNullable<MonitorConfig['printers']>;

interface Printer {
  config: PrinterConfig;
  decl: PrinterDeclaration;
  source: PrinterSource;
  /** The last status seen, for job events. */
  last: PrinterStatus | undefined;
}

export class PrintersModule implements MonitorModule {
  private readonly printers: Printer[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly t;

  constructor(
    private readonly ctx: ModuleContext<PrintersConfig>,
    private readonly tuning: SourceTuning = {},
  ) {
    this.t = translator(printersDict, ctx.lang);
  }

  async start(): Promise<void> {
    const used = new Set<string>();
    for (const p of this.ctx.config?.list ?? []) {
      if (p.api_key) this.ctx.secrets.add(p.api_key);
      let id = deviceIdOf(p.name);
      for (let n = 2; used.has(id); n++) id = `${deviceIdOf(p.name)}_${n}`;
      if (id !== deviceIdOf(p.name))
        this.ctx.log.warn(() => `two printers are named like "${p.name}": the second one is ${id}`);
      used.add(id);
      // Heaters and camera are declared once the printer answers: a printer switched off at
      // start must not lose them to the cleanup of earlier runs' leftovers.
      this.ctx.entities.keepDevice(id);
      const decl: PrinterDeclaration = {
        id,
        name: p.name,
        type: p.type,
        url: p.url,
        software: null,
        heaters: [],
        hasSnapshot: false,
        commands: p.type !== 'prometheus',
      };
      const printer: Printer = {
        config: p,
        decl,
        source: undefined as unknown as PrinterSource,
        last: undefined,
      };
      // Statuses come from sockets and timers: isolated, a throw restarts this module only.
      printer.source = createSource(
        p,
        this.ctx.log.child(id),
        this.ctx.isolate((s: PrinterStatus) => this.onStatus(printer, s), `${id} status`),
        this.tuning,
      );
      this.declare(printer);
      this.printers.push(printer);
    }
    for (const p of this.printers) p.source.start();
    this.ctx.log.info(() => `watching ${this.printers.length} printer(s)`);
  }

  async stop(): Promise<void> {
    for (const t of this.timers) this.ctx.timers.clear(t);
    this.timers.clear();
    await Promise.all(this.printers.map((p) => p.source.stop()));
  }

  /** For tests and the CLI: the current status of each printer by device id. */
  statuses(): Record<string, PrinterStatus> {
    return Object.fromEntries(this.printers.map((p) => [p.decl.id, p.source.current()]));
  }

  private declare(p: Printer): void {
    const node = this.ctx.entities.node;
    this.ctx.entities.declare({
      device: printerDevice(p.decl, this.t),
      entities: printerEntities(p.decl, this.t, node, (cmd) => void this.runCommand(p, cmd)),
    });
  }

  private onStatus(p: Printer, s: PrinterStatus): void {
    const d = p.decl;
    const heaters = heaterKeys(s);
    const grown = heaters.some((h) => !d.heaters.includes(h));
    const snapshot = !d.hasSnapshot && s.snapshot_url !== null;
    const software = s.software !== null && s.software !== d.software;
    if (grown || snapshot || software) {
      if (grown) d.heaters = [...new Set([...d.heaters, ...heaters])];
      if (snapshot) d.hasSnapshot = true;
      if (software) d.software = s.software;
      this.declare(p);
    }
    const values = toValues(s, Date.now());
    // Heaters declared earlier but absent now (printer disconnected): unknown, not stale.
    for (const h of d.heaters) {
      if (!(`${h}_temperature` in values)) {
        values[`${h}_temperature`] = null;
        values[`${h}_target`] = null;
      }
    }
    values.error_details = s.error_message ? { message: s.error_message } : {};
    this.ctx.entities.update(d.id, values);
    this.ctx.entities.setAvailability(d.id, s.online);
    const event = p.last ? jobEvent(p.last, s) : undefined;
    p.last = s;
    if (event === 'ended') {
      const t = this.ctx.timers.setTimeout(() => {
        this.timers.delete(t);
        const now = p.source.current();
        if (now.state === 'idle') this.emitJob(p, endOfJob(now), now);
      }, JOB_END_SETTLE_MS);
      this.timers.add(t);
    } else if (event) this.emitJob(p, event, s);
  }

  private emitJob(p: Printer, event: JobEvent, s: PrinterStatus): void {
    this.ctx.log.info(() => `${p.decl.name}: job ${event}${s.file ? ` (${s.file})` : ''}`);
    this.ctx.entities.emitEvent(p.decl.id, 'job', event, { file: s.file, progress: s.progress });
  }

  private async runCommand(p: Printer, cmd: CommandName): Promise<void> {
    const r = await p.source.command(cmd);
    if (r.ok) this.ctx.log.info(() => `${p.decl.name}: ${r.message}`);
    else this.ctx.log.warn(() => `${p.decl.name}: ${r.message}`);
  }
}

export const createPrinters = (ctx: ModuleContext<PrintersConfig>) => new PrintersModule(ctx);
