/**
 * An in-memory serial line for `monitor demo` (and benchmarks): two ends, what one writes the
 * other receives, asynchronously like a real line. Named lines are looked up by the module
 * when its port is `memory:<name>`.
 */
import type { SerialTransport } from './transport.js';

export interface DeviceEnd {
  write(data: string | Uint8Array): void;
  onData(listener: (chunk: Buffer) => void): void;
}

class MemoryHostEnd implements SerialTransport {
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
}

export class MemoryLine {
  readonly host: MemoryHostEnd;
  readonly device: DeviceEnd;
  deviceListener: (chunk: Buffer) => void = () => {};
  unplugged = false;

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
