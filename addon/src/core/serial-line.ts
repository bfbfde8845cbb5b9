/**
 * One serial line abstraction for every module that talks to a device on a serial port (the
 * SMS modem, the Linky TIC): a real port through `serialport`'s native binding, or an
 * in-memory line (`memory:<name>`) for `monitor demo` and the benchmarks, which must run
 * without hardware or socat.
 *
 * The real port is read through the binding directly rather than `serialport`'s stream: the
 * stream reads again as soon as a read returns, so at 1200 baud it wakes up for every byte
 * (one poll wake-up and one thread-pool read each, ~120 a second). With `readPauseMs`, the
 * reader waits that long after each read and the kernel gathers the bytes meanwhile: one
 * wake-up brings them all. The SMS modem reads at once (0), the TIC can wait 150 ms. After a
 * pause the waiting bytes are read directly (`readNow`), without the thread pool.
 */
import { readSync } from 'node:fs';
import { loadSerialPort } from './serialport.js';

/** The native binding `serialport` detected for this platform, and one of its open ports. */
type Binding = typeof import('serialport')['SerialPort']['binding'];
type BindingPort = Awaited<ReturnType<Binding['open']>>;

export interface SerialLine {
  readonly path: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(data: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Bytes received. Replaces the previous listener. */
  onData(listener: (chunk: Buffer) => void): void;
  /** The line went away by itself (unplugged, closed by the other end, I/O error); not after `close()`. */
  onClose(listener: (err?: Error) => void): void;
  /** Changes the speed of an open line (speed detection). */
  setBaud(baud: number): Promise<void>;
}

export interface SerialLineOptions {
  path: string;
  baud: number;
  /** 8 (default) or 7: the TIC is sent 7E1. */
  dataBits?: 7 | 8;
  parity?: 'none' | 'even';
  /** Pause after each read so that one wake-up gathers many bytes (default 0: read at once). */
  readPauseMs?: number;
}

export type SerialLineFactory = (o: SerialLineOptions) => SerialLine;

/** A line by path: `memory:<name>` for an in-memory line of this process, else a serial device. */
export function openSerialLine(o: SerialLineOptions): SerialLine {
  if (o.path.startsWith('memory:')) {
    const line = memoryLine(o.path.slice('memory:'.length));
    if (!line) throw new Error(`no in-memory line ${o.path}`);
    line.hostBaud = o.baud;
    return line.host;
  }
  return new SerialPortLine(o);
}

const READ_BUFFER_BYTES = 4096;

/**
 * After a pause, the bytes are already waiting in the kernel: read them at once on this thread
 * (the port is non-blocking) rather than through the binding's `read()`, which goes through
 * libuv's thread pool (two thread switches and an extra event-loop wake-up per read: half the
 * CPU of a Linky-only process, bench/linky-live.ts). Undefined when nothing is waiting (or the
 * binding has no descriptor): the caller then waits with the binding's `read()`, which sleeps
 * until the port is readable, so a silent line costs no wake-up.
 */
function readNow(port: BindingPort, buf: Buffer): number | undefined {
  const fd = (port as { fd?: number | null }).fd;
  if (typeof fd !== 'number') return undefined;
  try {
    const n = readSync(fd, buf, 0, buf.length, null);
    return n > 0 ? n : undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return undefined;
    throw err;
  }
}

/** A real serial device, through `serialport`'s native binding (loaded on first use). */
export class SerialPortLine implements SerialLine {
  private port: BindingPort | undefined;
  private dataListener: (chunk: Buffer) => void = () => {};
  private closeListener: (err?: Error) => void = () => {};
  private baud: number;
  private closing = false;
  /** The last write asked for: the next one starts after it. */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SerialLineOptions) {
    this.baud = opts.baud;
  }

  get path(): string {
    return this.opts.path;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    const { SerialPort } = await loadSerialPort();
    this.closing = false;
    this.port = await SerialPort.binding.open({
      path: this.opts.path,
      baudRate: this.baud,
      dataBits: this.opts.dataBits ?? 8,
      parity: this.opts.parity ?? 'none',
      stopBits: 1,
      // No flow control: most USB sticks and SIM800 boards do not wire RTS/CTS.
      rtscts: false,
    });
    void this.readLoop(this.port);
  }

  private async readLoop(port: BindingPort): Promise<void> {
    const pause = this.opts.readPauseMs ?? 0;
    const buf = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    for (;;) {
      let n: number;
      try {
        n = (pause > 0 ? readNow(port, buf) : undefined) ?? (await port.read(buf, 0, buf.length)).bytesRead;
      } catch (err) {
        if (!this.closing && this.port === port) {
          this.port = undefined;
          await port.close().catch(() => {});
          this.closeListener(err instanceof Error ? err : new Error(String(err)));
        }
        return;
      }
      if (this.port !== port) return;
      if (n > 0) this.dataListener(Buffer.from(buf.subarray(0, n)));
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    }
  }

  async write(data: string | Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new Error(`${this.opts.path} is not open`);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    // One write at a time, in the order asked: the binding writes through libuv's thread pool,
    // where two writes in flight can overtake each other (an echo read after the answer that
    // followed it; test/core/serial-line-order.test.ts).
    const done = this.writing.then(async () => {
      await port.write(bytes);
      await port.drain();
    });
    this.writing = done.catch(() => {});
    return done;
  }

  async close(): Promise<void> {
    this.closing = true;
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await port.close().catch(() => {});
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListener = listener;
  }

  onClose(listener: (err?: Error) => void): void {
    this.closeListener = listener;
  }

  async setBaud(baud: number): Promise<void> {
    this.baud = baud;
    if (this.port?.isOpen) await this.port.update({ baudRate: baud });
  }
}

/** The device side of an in-memory line: the simulator writes and listens here. */
export interface DeviceEnd {
  write(data: string | Uint8Array): void;
  onData(listener: (chunk: Buffer) => void): void;
}

class MemoryHostEnd implements SerialLine {
  open_ = false;
  dataListener: (chunk: Buffer) => void = () => {};
  closeListener: (err?: Error) => void = () => {};
  constructor(
    readonly path: string,
    private readonly line: MemoryLine,
  ) {}
  get isOpen(): boolean {
    return this.open_;
  }
  async open(): Promise<void> {
    if (this.line.unplugged) throw new Error(`${this.path}: no such device`);
    this.open_ = true;
  }
  async write(data: string | Uint8Array): Promise<void> {
    if (!this.open_) throw new Error(`${this.path} is not open`);
    const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    setImmediate(() => this.line.deviceListener(b));
  }
  async close(): Promise<void> {
    this.open_ = false;
  }
  onData(listener: (chunk: Buffer) => void): void {
    this.dataListener = listener;
  }
  onClose(listener: (err?: Error) => void): void {
    this.closeListener = listener;
  }
  async setBaud(baud: number): Promise<void> {
    this.line.hostBaud = baud;
  }
}

/**
 * An in-memory line: two ends, what one writes the other receives, asynchronously like a real
 * line. `hostBaud` is the speed the host end asked for (a simulated meter sends garbage when it
 * is not its own, as a UART would deliver).
 */
export class MemoryLine {
  readonly host: MemoryHostEnd;
  readonly device: DeviceEnd;
  deviceListener: (chunk: Buffer) => void = () => {};
  unplugged = false;
  hostBaud: number | undefined;

  constructor(readonly name: string) {
    this.host = new MemoryHostEnd(`memory:${name}`, this);
    this.device = {
      write: (data) => {
        const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
        setImmediate(() => {
          if (this.host.isOpen) this.host.dataListener(b);
        });
      },
      onData: (l) => {
        this.deviceListener = l;
      },
    };
  }

  /** Simulates an unplug: the host end closes with an error and cannot reopen until `plug()`. */
  unplug(): void {
    this.unplugged = true;
    if (this.host.isOpen) {
      this.host.open_ = false;
      this.host.closeListener(new Error('device disconnected'));
    }
  }

  plug(): void {
    this.unplugged = false;
  }
}

const LINES = new Map<string, MemoryLine>();

export function createMemoryLine(name: string): MemoryLine {
  const l = new MemoryLine(name);
  LINES.set(name, l);
  return l;
}

export function memoryLine(name: string): MemoryLine | undefined {
  return LINES.get(name);
}

export function removeMemoryLine(name: string): void {
  LINES.delete(name);
}
