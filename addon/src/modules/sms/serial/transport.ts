/**
 * What the AT engine needs from a serial line: the core's serial line (core/serial-line.ts),
 * shared with the Linky module. A line that cannot change speed (a test double) may leave
 * `setBaud` out: the modem then skips its speed detection.
 */
import type { SerialLine, SerialLineOptions } from '../../../core/serial-line.js';

export type SerialTransport = Omit<SerialLine, 'setBaud'> & Partial<Pick<SerialLine, 'setBaud'>>;
export type TransportOptions = SerialLineOptions;
export type TransportFactory = (o: TransportOptions) => SerialTransport;
