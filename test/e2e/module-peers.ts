/**
 * The devices the feature modules talk to, for the end-to-end tests against a real Home
 * Assistant: a Linky TIC simulator behind a socat pty pair (the module opens the `a` end with
 * the real `serialport`, 7E1), and the values it sent, so that HA's states can be compared with
 * what went down the line. The modem simulator on a pty is test/sms/helpers.ts `SimOnPty`; the
 * fake OctoPrint is addon/src/modules/printers/sim.
 */
import { execFile } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { TicSimulator } from '../../addon/src/modules/linky/simulator.js';
import { PtyPair } from '../helpers/pty.js';

/**
 * A standard-mode Linky (9600 baud) on a pty. A pty does not enforce speeds, so the speed the
 * reader set is read back with `stty` and the simulator sends garbage at any other speed, as a
 * UART would see: the module must find 9600 baud by itself.
 */
export class TicOnPty {
  readonly pty = new PtyPair();
  readonly sim: TicSimulator;
  /** Every value each label took in the frames sent so far (read from the bytes on the wire). */
  private readonly sent = new Map<string, Set<string>>();
  private text = '';
  private fd: number | undefined;
  private poll: NodeJS.Timeout | undefined;
  private readerBaud: number | undefined;

  constructor(opts: { power: number }) {
    this.sim = new TicSimulator({
      mode: 'standard',
      power: () => opts.power,
      write: (b) => this.write(b),
      readerBaud: () => this.readerBaud,
    });
  }

  get path(): string {
    return this.pty.a;
  }

  async start(): Promise<this> {
    await this.pty.open();
    this.fd = openSync(this.pty.b, 'w');
    this.poll = setInterval(() => {
      execFile('stty', ['-F', this.pty.a, 'speed'], (err, out) => {
        this.readerBaud = err ? undefined : Number(out.trim());
      });
    }, 200);
    this.sim.start();
    return this;
  }

  private write(b: Buffer): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, b);
    if (this.readerBaud !== this.sim.baud) return; // garbage, not a frame
    this.text += b.toString('latin1');
    // Standard mode groups: LF label HT [horodate HT] value HT checksum CR.
    const groups = this.text.split('\r');
    this.text = groups.pop() ?? '';
    for (const g of groups) {
      const fields = g.replace(/^[\s\S]*\n/, '').split('\t');
      if (fields.length < 3) continue;
      const [label, ...rest] = fields;
      const value = rest.length >= 3 ? rest[1] : rest[0];
      if (label === undefined || value === undefined) continue;
      const set = this.sent.get(label) ?? new Set<string>();
      set.add(value);
      this.sent.set(label, set);
    }
  }

  /** The values of `label` sent so far, as written on the line (e.g. "012345678"). */
  values(label: string): string[] {
    return [...(this.sent.get(label) ?? [])];
  }

  async dispose(): Promise<void> {
    this.sim.stop();
    if (this.poll) clearInterval(this.poll);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    await this.pty.dispose();
  }
}
