/** Helpers of the printers tests: a status recorder, source options, what a test must stop. */
import { App } from '../../addon/src/app.js';
import { loadConfigObject, registerSecrets } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { ModuleContext } from '../../addon/src/core/module.js';
import { type PrintersConfig, PrintersModule } from '../../addon/src/modules/printers/index.js';
import type { PrinterStatus } from '../../addon/src/modules/printers/model.js';
import type { VirtualPrinter } from '../../addon/src/modules/printers/sim/virtual-printer.js';
import type { SourceOptions } from '../../addon/src/modules/printers/source.js';
import type { Cleanups } from '../helpers/cleanups.js';

/** Log lines captured at debug level (to check that secrets never appear). */
export class LogCapture {
  readonly lines: string[] = [];
  readonly root = new LoggerRoot({
    level: 'debug',
    timestamps: false,
    sink: { write: (line) => this.lines.push(line) },
  });
}

export class StatusRecorder {
  readonly all: PrinterStatus[] = [];
  private waiters: Array<{ pred: (s: PrinterStatus) => boolean; resolve: (s: PrinterStatus) => void }> = [];

  readonly onStatus = (s: PrinterStatus): void => {
    this.all.push(s);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(s)) return true;
      w.resolve(s);
      return false;
    });
  };

  get last(): PrinterStatus | undefined {
    return this.all[this.all.length - 1];
  }

  /** Resolves with the first status (past or future) matching `pred`. */
  waitFor(pred: (s: PrinterStatus) => boolean, timeoutMs = 5000, what = 'status'): Promise<PrinterStatus> {
    const found = this.last && pred(this.last) ? this.last : undefined;
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no ${what} within ${timeoutMs} ms; last: ${JSON.stringify(this.last)}`));
      }, timeoutMs);
      const done = (s: PrinterStatus) => {
        clearTimeout(t);
        resolve(s);
      };
      this.waiters.push({ pred, resolve: done });
    });
  }
}

export function sourceOptions(
  rec: StatusRecorder,
  over: Partial<SourceOptions> & Pick<SourceOptions, 'url' | 'type'>,
  logs = new LogCapture(),
): SourceOptions {
  return {
    name: 'test printer',
    apiKey: '',
    intervalMs: 200,
    timeoutMs: 600,
    push: true,
    snapshotUrl: '',
    log: logs.root.logger('printers'),
    onStatus: rec.onStatus,
    ...over,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a source reading a simulated printer's fake server; the three are stopped after the test. */
export function startAgainst<S extends { start(): void; stop(): Promise<void> }>(
  cleanups: Cleanups,
  src: S,
  vp: VirtualPrinter,
  fake: { close(): Promise<void> },
): S {
  cleanups.push(
    () => src.stop(),
    () => vp.dispose(),
    () => fake.close(),
  );
  src.start();
  return src;
}

/**
 * The App with the printers module on `brokerUrl`, publishing quickly, its secrets registered so
 * that `logs` can prove no API key leaks; not started (the caller keeps it to stop it).
 */
export function printersApp(o: {
  nodeId: string;
  dataDir: string;
  brokerUrl: string;
  printers: unknown[];
  logs: LogCapture;
  /** How often the push socket is pinged. */
  pingMs: number;
}): App {
  const config = loadConfigObject({
    node_id: o.nodeId,
    data_dir: o.dataDir,
    mqtt: { url: o.brokerUrl },
    discovery: { coalesce_ms: 20, republish_delay_ms: 0 },
    printers: { list: o.printers },
  });
  registerSecrets(config, o.logs.root.secrets);
  return new App(config, {
    logRoot: o.logs.root,
    modules: {
      printers: (ctx) => new PrintersModule(ctx as ModuleContext<PrintersConfig>, { pingMs: o.pingMs }),
    },
  });
}
