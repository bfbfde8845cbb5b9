/** The real serial line, on the `serialport` package (its prebuilt native binding). */
import type { SerialPort } from 'serialport';
import { loadSerialPort } from '../../../core/serialport.js';
import type { SerialTransport, TransportOptions } from './transport.js';

export class SerialPortTransport implements SerialTransport {
  private port: SerialPort | undefined;
  private dataListener: (chunk: Buffer) => void = () => {};
  private closeListener: (err?: Error) => void = () => {};
  private baud: number;

  constructor(private readonly opts: TransportOptions) {
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
    return new Promise((resolve, reject) => {
      const port = new SerialPort({
        path: this.opts.path,
        baudRate: this.baud,
        autoOpen: false,
        // No flow control: most USB sticks and SIM800 boards do not wire RTS/CTS.
        rtscts: false,
      });
      port.open((err) => {
        if (err) {
          reject(err);
          return;
        }
        this.port = port;
        port.on('data', (d: Buffer) => this.dataListener(d));
        port.on('close', (e?: Error & { disconnected?: boolean }) => {
          if (this.port === port) this.port = undefined;
          this.closeListener(e ?? undefined);
        });
        port.on('error', () => {
          // 'close' follows a fatal error; nothing else to do here.
        });
        resolve();
      });
    });
  }

  write(data: string | Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new Error(`${this.opts.path} is not open`));
    return new Promise((resolve, reject) => {
      port.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data), (err) => {
        if (err) reject(err);
        else port.drain((e) => (e ? reject(e) : resolve()));
      });
    });
  }

  close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListener = listener;
  }

  onClose(listener: (err?: Error) => void): void {
    this.closeListener = listener;
  }

  async setBaud(baud: number): Promise<void> {
    this.baud = baud;
    const port = this.port;
    if (port?.isOpen)
      await new Promise<void>((resolve, reject) =>
        port.update({ baudRate: baud }, (e) => (e ? reject(e) : resolve())),
      );
  }
}
