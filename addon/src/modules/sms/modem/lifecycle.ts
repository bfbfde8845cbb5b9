/**
 * Keeps a modem usable for days: opens the serial line (fixed baud or auto-detected), runs
 * the init, then a watchdog. No answer → re-init; re-init fails or the device vanished →
 * close and reopen the same path with backoff (so a USB replug on a /dev/serial/by-id path
 * recovers without restarting the process); a modem that still answers AT but keeps failing
 * (its init fails, or the watchdog has to restart it again and again) gets AT+CFUN=1,1 as a
 * last resort: a full reboot of the modem, which clears a wedged SIM or SMS stack.
 */
import { Backoff } from '../../../core/backoff.js';
import type { Logger } from '../../../core/logger.js';
import { AtEngine, AtError, type Urc } from '../at/engine.js';
import type { SerialTransport, TransportFactory } from '../serial/transport.js';
import { type InitReport, Modem, ModemError, type ModemOptions } from './modem.js';

export interface LifecycleOptions extends ModemOptions {
  path: string;
  /** 0 = detect among the usual rates. */
  baud: number;
  watchdogMs: number;
  reopenInitialMs: number;
  reopenMaxMs: number;
  /**
   * Failed recoveries before AT+CFUN=1,1: inits that failed although the modem answered AT,
   * plus watchdog restarts, with no healthy period (10 watchdog periods) in between.
   */
  resetAfterFailures: number;
}

export type ModemState = 'opening' | 'initialising' | 'ready' | 'down';

export interface LifecycleEvents {
  onReady(modem: Modem, report: InitReport): void | Promise<void>;
  onDown(reason: string): void;
  onUrc(urc: Urc): void;
}

export const BAUDS = [115200, 9600, 57600, 38400, 19200];

export class ModemLifecycle {
  state: ModemState = 'down';
  modem: Modem | undefined;
  lastError: string | undefined;
  private transport: SerialTransport | undefined;
  private engine: AtEngine | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private stopped = false;
  /** Failed recoveries since the modem was last healthy (see resetAfterFailures). */
  private unhealthy = 0;
  private readySince = 0;
  /** Rate found by the last detection: tried first after a reopen. */
  detectedBaud: number | undefined;
  private pingFailures = 0;
  private generation = 0;
  private watchdogBusy = false;
  /** Times the line was reopened / the modem re-initialised (diagnostics and tests). */
  readonly counters = { opens: 0, inits: 0, reinits: 0, resets: 0 };

  constructor(
    private readonly o: LifecycleOptions,
    private readonly factory: TransportFactory,
    private readonly events: LifecycleEvents,
    private readonly log: Logger,
  ) {
    this.backoff = new Backoff({ initialMs: o.reopenInitialMs, maxMs: o.reopenMaxMs });
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.generation++;
    this.engine?.close('module stopping');
    await this.transport?.close().catch(() => {});
    this.transport = undefined;
    this.state = 'down';
  }

  private schedule(reason: string): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = this.backoff.next();
    this.log.warn(() => `modem on ${this.o.path} unavailable (${reason}); trying again in ${delay} ms`);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private down(reason: string): void {
    const was = this.state;
    this.state = 'down';
    this.modem = undefined;
    this.lastError = reason;
    if (this.watchdog) clearInterval(this.watchdog);
    if (was !== 'down') this.events.onDown(reason);
  }

  /**
   * Never rejects: a connection attempt runs from timers and `void`, so any failure (the
   * factory throwing included) must end as "down, try again", never as an unhandled rejection
   * with the state left at `opening`.
   */
  private async connect(): Promise<void> {
    if (this.stopped) return;
    const gen = ++this.generation;
    try {
      await this.open(gen);
    } catch (err) {
      if (gen !== this.generation) return;
      const msg = err instanceof Error ? err.message : String(err);
      this.down(msg);
      this.schedule(msg);
    }
  }

  private async open(gen: number): Promise<void> {
    this.state = 'opening';
    await this.transport?.close().catch(() => {});
    const transport = this.factory({
      path: this.o.path,
      baud: this.o.baud || this.detectedBaud || (BAUDS[0] as number),
    });
    this.transport = transport;
    await transport.open();
    if (gen !== this.generation) {
      // Stopped (or restarted) while the port was opening: the close of stop() found nothing
      // open yet, so this attempt closes what it opened.
      await transport.close().catch(() => {});
      return;
    }
    this.counters.opens++;
    const engine = new AtEngine(transport, {
      log: this.log.child('at'),
      defaultTimeoutMs: this.o.commandTimeoutMs,
      onUrc: (u) => this.events.onUrc(u),
    });
    this.engine = engine;
    transport.onClose((err) => {
      if (gen !== this.generation) return;
      engine.close('serial line closed');
      this.down(`serial line closed${err ? `: ${err.message}` : ''}`);
      this.schedule('device gone');
    });
    if (!this.o.baud && transport.setBaud) await this.detectBaud(transport, engine);
    if (gen !== this.generation) return;
    await this.initialise(gen, engine);
  }

  /**
   * Tries the usual rates (the last one found first). Any final result counts as an answer:
   * an ERROR to "AT" (garbage left in the modem's buffer by an earlier wrong rate) is still a
   * modem speaking at this rate, whereas at a wrong rate nothing parses as a result.
   */
  private async detectBaud(transport: SerialTransport, engine: AtEngine): Promise<void> {
    const probe = new Modem(engine, this.log, { ...this.o, commandTimeoutMs: 500 });
    const order = [...new Set([...(this.detectedBaud ? [this.detectedBaud] : []), ...BAUDS])];
    for (const b of order) {
      await transport.setBaud?.(b);
      try {
        await probe.ping(500);
      } catch (err) {
        if (!(err instanceof AtError) || !['error', 'cme', 'cms'].includes(err.kind)) continue;
      }
      this.detectedBaud = b;
      this.log.info(() => `modem answers at ${b} baud`);
      return;
    }
    this.log.warn(() => `no answer at ${order.join(', ')} baud`);
  }

  private async initialise(gen: number, engine: AtEngine): Promise<void> {
    this.state = 'initialising';
    const modem = new Modem(engine, this.log, this.o);
    try {
      const report = await modem.init();
      if (gen !== this.generation) return;
      this.counters.inits++;
      this.readySince = Date.now();
      this.pingFailures = 0;
      this.backoff.reset();
      this.modem = modem;
      this.state = 'ready';
      this.lastError = undefined;
      this.startWatchdog(gen);
      await this.events.onReady(modem, report);
    } catch (err) {
      if (gen !== this.generation) return;
      const msg = err instanceof Error ? err.message : String(err);
      this.down(msg);
      // The modem answered AT (else: no_answer) on a line still open (else: closed), yet the
      // init failed: a SIM or SMS stack that is stuck. Counts toward the last resort.
      const answered =
        !(err instanceof ModemError && err.code === 'no_answer') &&
        !(err instanceof AtError && err.kind === 'closed');
      if (answered && ++this.unhealthy >= this.o.resetAfterFailures) {
        this.log.warn(() => `modem keeps failing (${msg}): AT+CFUN=1,1`);
        this.counters.resets++;
        this.unhealthy = 0;
        await modem.reset().catch(() => {});
      }
      if (err instanceof ModemError && (err.code === 'pin_wrong' || err.code === 'sim_puk_required')) {
        // Retrying a wrong PIN would burn the SIM's tries: wait for a config change (restart).
        this.log.error(() => `modem: ${msg}`);
        return;
      }
      this.schedule(msg);
    }
  }

  private startWatchdog(gen: number): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = setInterval(() => void this.tick(gen), this.o.watchdogMs);
    this.watchdog.unref();
  }

  /** Closes and reopens the line (this also resets a wedged USB-serial driver), then re-inits. */
  private restart(gen: number, reason: string): void {
    if (gen !== this.generation) return;
    this.counters.reinits++;
    if (++this.unhealthy >= this.o.resetAfterFailures && this.engine) {
      // Commands are stuck in the queue: the reset goes out directly, after ESC.
      this.log.warn(() => `${reason} again and again: AT+CFUN=1,1`);
      this.counters.resets++;
      this.unhealthy = 0;
      void this.engine.writeRaw('\x1bAT+CFUN=1,1\r').catch(() => {});
    }
    this.log.warn(() => `${reason}: reopening ${this.o.path}`);
    this.engine?.close(reason);
    this.down(reason);
    void this.connect();
  }

  private async tick(gen: number): Promise<void> {
    const engine = this.engine;
    const modem = this.modem;
    if (gen !== this.generation || !engine || !modem || this.watchdogBusy) return;
    // Two timeouts in a row, or a command pending for long without a single byte back.
    const silentMs = Date.now() - engine.lastActivity;
    if (engine.consecutiveTimeouts >= 2 || (engine.busy && silentMs > 3 * this.o.watchdogMs)) {
      this.restart(gen, 'modem stopped answering');
      return;
    }
    // Healthy for ten periods in a row: earlier failures no longer count toward a reset.
    if (engine.consecutiveTimeouts === 0 && Date.now() - this.readySince > 10 * this.o.watchdogMs)
      this.unhealthy = 0;
    // A busy engine or recent bytes prove the modem is alive.
    if (engine.busy || Date.now() - engine.lastActivity < this.o.watchdogMs / 2) return;
    this.watchdogBusy = true;
    try {
      await modem.ping();
      this.pingFailures = 0;
    } catch {
      this.pingFailures++;
      this.log.warn(() => `modem did not answer the watchdog (${this.pingFailures})`);
      if (this.pingFailures >= 2 && gen === this.generation) this.restart(gen, 'modem stopped answering');
    } finally {
      this.watchdogBusy = false;
    }
  }
}
