/**
 * What the AT engine needs from a serial line. Production and the tests use `serialport`
 * (through a real pseudo-terminal in the tests); `monitor demo` uses an in-memory pair, so
 * that it runs without socat or hardware.
 */
export interface SerialTransport {
  readonly path: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(data: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Bytes received. Replaces the previous listener. */
  onData(listener: (chunk: Buffer) => void): void;
  /** The line went away (unplugged, closed by the other end, I/O error). */
  onClose(listener: (err?: Error) => void): void;
  /** Changes the baud rate of an open port (baud detection). */
  setBaud?(baud: number): Promise<void>;
}

export interface TransportOptions {
  path: string;
  baud: number;
}

export type TransportFactory = (o: TransportOptions) => SerialTransport;
