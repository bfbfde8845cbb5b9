/**
 * Test helpers: a modem simulator behind a real socat pty pair, so that the module opens the
 * `a` end with the real serialport binding while the simulator drives the `b` end.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { SerialPortTransport } from '../../addon/src/modules/sms/serial/serialport.js';
import { BaudGate } from '../../addon/src/modules/sms/simulator/baud.js';
import {
  type DeviceLink,
  ModemSimulator,
  type SimOptions,
} from '../../addon/src/modules/sms/simulator/modem-sim.js';
import { PtyPair } from '../helpers/pty.js';

const execFileAsync = promisify(execFile);

export const quietLog = new LoggerRoot({
  level: (process.env.MONITOR_LOG_LEVEL as 'silent') ?? 'silent',
}).logger('test');

export interface SimOnPtyOptions extends SimOptions {
  /**
   * The modem only understands this rate. A pty carries bytes at any rate, so the simulator
   * reads the rate the code under test set on its end (the kernel's termios, `stty -F`) and
   * garbles the line while it differs (simulator/baud.ts).
   */
  modemBaud?: number;
}

/** Rate currently set on a tty, as the kernel has it (the side channel of the baud model). */
export async function ttySpeed(path: string): Promise<number> {
  const { stdout } = await execFileAsync('stty', ['-F', path, 'speed']);
  return Number(stdout.trim());
}

export class SimOnPty {
  readonly pty = new PtyPair();
  sim!: ModemSimulator;
  gate: BaudGate | undefined;
  private port: SerialPortTransport | undefined;
  private relayListener: (chunk: Buffer) => void = () => {};

  constructor(private readonly opts: SimOnPtyOptions = {}) {}

  get path(): string {
    return this.pty.a;
  }

  async start(): Promise<this> {
    await this.pty.open();
    await this.attach();
    // One simulator for the whole life of the pair: a replug keeps the modem's state.
    const relay: DeviceLink = {
      write: (d) => this.port?.write(d).catch(() => {}),
      onData: (l) => {
        this.relayListener = l;
      },
    };
    let link: DeviceLink = relay;
    if (this.opts.modemBaud) {
      this.gate = new BaudGate(relay, {
        modemBaud: this.opts.modemBaud,
        hostBaud: () => ttySpeed(this.pty.a),
      });
      link = this.gate;
    }
    this.sim = new ModemSimulator(link, this.opts);
    return this;
  }

  /** Opens the simulator's end (again, after a replug). */
  private async attach(): Promise<void> {
    this.port = new SerialPortTransport({ path: this.pty.b, baud: 115200 });
    await this.port.open();
    this.port.onData((c) => this.relayListener(c));
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
