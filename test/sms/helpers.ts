/**
 * Test helpers: a modem simulator behind a real socat pty pair, so that the module opens the
 * `a` end with the real serialport binding while the simulator drives the `b` end.
 */
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { SerialPortTransport } from '../../addon/src/modules/sms/serial/serialport.js';
import { ModemSimulator, type SimOptions } from '../../addon/src/modules/sms/simulator/modem-sim.js';
import { PtyPair } from '../helpers/pty.js';

export const quietLog = new LoggerRoot({
  level: (process.env.MONITOR_LOG_LEVEL as 'silent') ?? 'silent',
}).logger('test');

export class SimOnPty {
  readonly pty = new PtyPair();
  sim!: ModemSimulator;
  private port: SerialPortTransport | undefined;

  constructor(private readonly opts: SimOptions = {}) {}

  get path(): string {
    return this.pty.a;
  }

  async start(): Promise<this> {
    await this.pty.open();
    await this.attach();
    return this;
  }

  /** Opens the simulator's end (again, after a replug) and keeps the same simulator state. */
  private async attach(): Promise<void> {
    this.port = new SerialPortTransport({ path: this.pty.b, baud: 115200 });
    await this.port.open();
    const port = this.port;
    if (!this.sim) {
      this.sim = new ModemSimulator(
        { write: (d) => port.write(d), onData: (l) => port.onData(l) },
        this.opts,
      );
    } else {
      // Same modem, new line: rebind the link.
      (this.sim as unknown as { link: unknown }).link = { write: (d: Uint8Array | string) => port.write(d) };
      port.onData((c) => (this.sim as unknown as { onData(c: Buffer): void }).onData(c));
    }
  }

  /** Unplug: socat dies, both ends vanish. */
  async unplug(): Promise<void> {
    await this.port?.close().catch(() => {});
    await this.pty.close();
  }

  async replug(): Promise<void> {
    await this.pty.open();
    await this.attach();
  }

  async dispose(): Promise<void> {
    this.sim?.stop();
    await this.port?.close().catch(() => {});
    await this.pty.dispose();
  }
}

export async function waitUntil(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
