/** The real serial line, on `serialport`'s native binding: the core's (core/serial-line.ts). */
export { SerialPortLine as SerialPortTransport } from '../../../core/serial-line.js';
