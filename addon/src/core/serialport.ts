/**
 * `serialport` is loaded on first use, so that a process without a serial device (the gateway
 * alone, the printers) does not pay for its native binding and its packages (about 10 MB RSS).
 */
type SerialPortModule = typeof import('serialport');

let loading: Promise<SerialPortModule> | undefined;

export function loadSerialPort(): Promise<SerialPortModule> {
  loading ??= import('serialport');
  return loading;
}
