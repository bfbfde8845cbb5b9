/**
 * Where TIC bytes come from, behind one small interface: a real serial port (`serialport`,
 * 7 data bits, even parity, 1 stop bit, as the TIC is sent) in production and tests, or an
 * in-memory line for `monitor demo`, which must run without hardware or socat.
 * A port named `memory:NAME` is looked up among the in-memory lines of this process.
 */
import type { SerialPort } from 'serialport';
import { loadSerialPort } from '../../core/serialport.js';

export interface TicTransport {
  readonly path: string;
  open(baud: number): Promise<void>;
  setBaud(baud: number): Promise<void>;
  close(): Promise<void>;
  onData(cb: (chunk: Buffer) => void): void;
  /** Called once when the line goes away (unplugged adapter, closed simulator). */
  onClose(cb: (err?: Error) => void): void;
}

class SerialTransport implements TicTransport {
  private port: SerialPort | undefined;
  private dataCb: ((chunk: Buffer) => void) | undefined;
  private closeCb: ((err?: Error) => void) | undefined;
  private closing = false;

  constructor(readonly path: string) {}

  async open(baud: number): Promise<void> {
    const { SerialPort } = await loadSerialPort();
    return new Promise((resolve, reject) => {
      const port = new SerialPort({
        path: this.path,
        baudRate: baud,
        dataBits: 7,
        parity: 'even',
        stopBits: 1,
        autoOpen: false,
      });
      port.on('data', (d: Buffer) => this.dataCb?.(d));
      port.on('close', (err?: Error) => {
        if (!this.closing) this.closeCb?.(err ?? new Error('serial port closed'));
      });
      port.on('error', () => {});
      port.open((err) => {
        if (err) reject(err);
        else {
          this.port = port;
          resolve();
        }
      });
    });
  }

  setBaud(baud: number): Promise<void> {
    const p = this.port;
    if (!p) return Promise.reject(new Error('port not open'));
    return new Promise((resolve, reject) => p.update({ baudRate: baud }, (e) => (e ? reject(e) : resolve())));
  }

  close(): Promise<void> {
    this.closing = true;
    const p = this.port;
    this.port = undefined;
    if (!p?.isOpen) return Promise.resolve();
    return new Promise((resolve) => p.close(() => resolve()));
  }

  onData(cb: (chunk: Buffer) => void): void {
    this.dataCb = cb;
  }

  onClose(cb: (err?: Error) => void): void {
    this.closeCb = cb;
  }
}

/** An in-memory TIC line: the simulator writes, the transport reads. */
export class MemoryLine {
  private readers = new Set<MemoryTransport>();
  /** The baud rate the reader set (the simulator garbles bytes when it is not the meter's). */
  readerBaud: number | undefined;

  write(chunk: Buffer): void {
    for (const r of this.readers) r.deliver(chunk);
  }

  attach(r: MemoryTransport): void {
    this.readers.add(r);
  }

  detach(r: MemoryTransport): void {
    this.readers.delete(r);
  }

  /** The line goes away, as an unplugged adapter. */
  hangUp(): void {
    for (const r of [...this.readers]) r.hungUp();
    this.readers.clear();
  }
}

const LINES = new Map<string, MemoryLine>();

export function registerMemoryLine(name: string, line: MemoryLine): () => void {
  LINES.set(name, line);
  return () => {
    if (LINES.get(name) === line) LINES.delete(name);
  };
}

class MemoryTransport implements TicTransport {
  private dataCb: ((chunk: Buffer) => void) | undefined;
  private closeCb: ((err?: Error) => void) | undefined;
  private line: MemoryLine | undefined;

  constructor(readonly path: string) {}

  async open(baud: number): Promise<void> {
    const line = LINES.get(this.path.slice('memory:'.length));
    if (!line) throw new Error(`no in-memory TIC line named ${this.path}`);
    this.line = line;
    line.readerBaud = baud;
    line.attach(this);
  }

  async setBaud(baud: number): Promise<void> {
    if (this.line) this.line.readerBaud = baud;
  }

  async close(): Promise<void> {
    this.line?.detach(this);
    this.line = undefined;
  }

  deliver(chunk: Buffer): void {
    this.dataCb?.(chunk);
  }

  hungUp(): void {
    this.line = undefined;
    this.closeCb?.(new Error('line hung up'));
  }

  onData(cb: (chunk: Buffer) => void): void {
    this.dataCb = cb;
  }

  onClose(cb: (err?: Error) => void): void {
    this.closeCb = cb;
  }
}

export function openTransport(path: string): TicTransport {
  return path.startsWith('memory:') ? new MemoryTransport(path) : new SerialTransport(path);
}
