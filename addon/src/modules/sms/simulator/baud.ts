/**
 * A modem with a fixed serial rate, for the simulator. A pseudo-terminal carries bytes whatever
 * the rate set on it, so the rate is modelled: before each chunk the gate asks a side channel
 * which rate the host end is set to (in the tests: the kernel's termios of the pty, read with
 * `stty -F`), and while it differs from the modem's rate the link behaves like a UART sampling
 * at the wrong speed: what the host sends never reaches the modem as characters (framing
 * errors, dropped), and what comes back is noise with the high bit set — never a line the AT
 * parser could take for an answer.
 */
import type { DeviceLink } from './modem-sim.js';

export interface BaudGateOptions {
  /** The rate the modem is fixed at (AT+IPR=<rate>, not auto-bauding). */
  modemBaud: number;
  /** The rate the host end of the line is currently set to. */
  hostBaud: () => Promise<number>;
}

/** What a UART sampling at the wrong rate makes of a byte: high-bit noise, never CR or LF. */
function garble(b: number): number {
  return ((b * 37 + 11) & 0x7f) | 0x80;
}

export class BaudGate implements DeviceLink {
  private listener: (chunk: Buffer) => void = () => {};
  private chain: Promise<void> = Promise.resolve();
  /** Whether the last chunk from the host arrived at the modem's rate. */
  matched = false;
  /** Chunks received at a wrong rate, and the rates they came at (diagnostics and tests). */
  readonly mismatches: number[] = [];

  constructor(
    private readonly inner: DeviceLink,
    private readonly o: BaudGateOptions,
  ) {
    inner.onData((chunk) => {
      // Keep the order of chunks: each waits for the previous one's rate check.
      this.chain = this.chain.then(async () => {
        const rate = await this.o.hostBaud().catch(() => 0);
        this.matched = rate === this.o.modemBaud;
        if (this.matched) {
          this.listener(chunk);
          return;
        }
        this.mismatches.push(rate);
        // The modem echoes what it "heard"; the host hears that at the wrong rate too.
        void this.inner.write(Buffer.from([...chunk].map(garble)));
      });
    });
  }

  write(data: string | Uint8Array): void | Promise<void> {
    if (this.matched) return this.inner.write(data);
    const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    return this.inner.write(Buffer.from([...b].map(garble)));
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.listener = listener;
  }
}
