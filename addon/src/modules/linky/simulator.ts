/**
 * A simulated Linky for the demo, the pseudo-terminal tests and the benchmarks. Its frames
 * follow the layout of real captures (historic: the single-phase HC frame of
 * esciara/pyteleinfo's tests; standard: the single-phase HC frames of fmartinou/teleinfo2mqtt's
 * test/standard.frames.log), with checksums computed as the specification says, a power that
 * varies and indexes that grow with it. Bytes are paced at the line's speed (7E1: 10 bits a
 * character); when the reader listens at another speed it only receives garbage, as a UART would.
 */
import type { TicMode } from './tic/decoder.js';

const ck = (s: string) =>
  String.fromCharCode((s.split('').reduce((a, c) => a + c.charCodeAt(0), 0) & 0x3f) + 0x20);

export function historicGroup(label: string, value: string): string {
  const body = `${label} ${value}`;
  return `\n${body} ${ck(body)}\r`;
}

export function standardGroup(label: string, value: string, date?: string): string {
  const body = date !== undefined ? `${label}\t${date}\t${value}` : `${label}\t${value}`;
  return `\n${body}\t${ck(`${body}\t`)}\r`;
}

const pad = (n: number, w: number) =>
  String(Math.max(0, Math.round(n)))
    .padStart(w, '0')
    .slice(-w);

export interface SimulatorOptions {
  mode: TicMode;
  meterId?: string;
  /** Where the bytes go (a pty, an in-memory line). */
  write: (b: Buffer) => void;
  /** The reader's speed, if known: garbage is sent when it is not the meter's. */
  readerBaud?: () => number | undefined;
  /** Apparent power over time (VA), default a slow sine around 1.5 kVA. */
  power?: (t: number) => number;
  now?: () => number;
  startWh?: number;
}

export class TicSimulator {
  readonly baud: number;
  readonly meterId: string;
  private wh: [number, number];
  private lastAt: number;
  private timer: NodeJS.Timeout | undefined;
  private queue: Buffer = Buffer.alloc(0);
  private readonly now: () => number;
  framesSent = 0;

  constructor(private readonly opts: SimulatorOptions) {
    this.baud = opts.mode === 'historic' ? 1200 : 9600;
    this.meterId = opts.meterId ?? (opts.mode === 'historic' ? '021528603314' : '031764953443');
    this.now = opts.now ?? Date.now;
    this.wh = [opts.startWh ?? 12_345_678, (opts.startWh ?? 12_345_678) * 2];
    this.lastAt = this.now();
  }

  private power(t: number): number {
    return this.opts.power
      ? this.opts.power(t)
      : 1500 + 900 * Math.sin(t / 600_000) + 200 * Math.sin(t / 7_000);
  }

  /** The next frame's bytes (indexes advanced by the energy since the previous frame). */
  frame(): Buffer {
    const t = this.now();
    const va = this.power(t);
    const offPeak = new Date(t).getUTCHours() >= 21 || new Date(t).getUTCHours() < 5;
    this.wh[offPeak ? 0 : 1] += (va * 0.95 * Math.max(0, t - this.lastAt)) / 3_600_000;
    this.lastAt = t;
    const [hc, hp] = this.wh.map(Math.floor) as [number, number];
    this.framesSent++;
    if (this.opts.mode === 'historic') {
      return Buffer.from(
        `\x02${[
          historicGroup('ADCO', this.meterId),
          historicGroup('OPTARIF', 'HC..'),
          historicGroup('ISOUSC', '45'),
          historicGroup('HCHC', pad(hc, 9)),
          historicGroup('HCHP', pad(hp, 9)),
          historicGroup('PTEC', offPeak ? 'HC..' : 'HP..'),
          historicGroup('IINST', pad(va / 230, 3)),
          historicGroup('IMAX', '090'),
          historicGroup('PAPP', pad(va, 5)),
          historicGroup('HHPHC', 'A'),
          historicGroup('MOTDETAT', '000000'),
        ].join('')}\x03`,
        'latin1',
      );
    }
    const d = new Date(t + 3_600_000);
    const date = `H${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}`;
    const g = standardGroup;
    return Buffer.from(
      `\x02${[
        g('ADSC', this.meterId),
        g('VTIC', '02'),
        g('DATE', '', date),
        g('NGTF', 'H PLEINE/CREUSE '),
        g('LTARF', offPeak ? ' HEURE  CREUSE  ' : ' HEURE  PLEINE  '),
        g('EAST', pad(hc + hp, 9)),
        g('EASF01', pad(hc, 9)),
        g('EASF02', pad(hp, 9)),
        ...Array.from({ length: 8 }, (_, i) => g(`EASF${pad(i + 3, 2)}`, '000000000')),
        g('EASD01', pad(hc + hp, 9)),
        g('EASD02', '000000000'),
        g('EASD03', '000000000'),
        g('EASD04', '000000000'),
        g('IRMS1', pad(va / 230, 3)),
        g('URMS1', '231'),
        g('PREF', '09'),
        g('PCOUP', '09'),
        g('SINSTS', pad(va, 5)),
        g('SMAXSN', pad(va + 500, 5), date),
        g('SMAXSN-1', '04700', date),
        g('CCASN', pad(va * 0.9, 5), date),
        g('UMOY1', '232', date),
        g('STGE', offPeak ? '003A0001' : '003A0401'),
        g('MSG1', 'PAS DE          MESSAGE         '),
        g('PRM', '14405933300802'),
        g('RELAIS', '000'),
        g('NTARF', offPeak ? '01' : '02'),
        g('NJOURF', '00'),
        g('NJOURF+1', '00'),
        g(
          'PJOURF+1',
          '00008002 0210C001 08108002 1440C001 16408002 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE',
        ),
      ].join('')}\x03`,
      'latin1',
    );
  }

  /** Sends frames continuously at the line's speed (characters every 20 ms). */
  start(): void {
    const perTick = Math.max(1, Math.round(this.baud / 10 / 50));
    this.timer = setInterval(() => {
      if (this.queue.length < perTick) this.queue = Buffer.concat([this.queue, this.frame()]);
      const chunk = this.queue.subarray(0, perTick);
      this.queue = this.queue.subarray(perTick);
      const reader = this.opts.readerBaud?.();
      if (reader !== undefined && reader !== this.baud) {
        // At the wrong speed a UART sees framing errors and random bits, never an STX.
        this.opts.write(Buffer.from(Array.from(chunk, () => 0xc0 | Math.floor(Math.random() * 0x3f))));
      } else this.opts.write(Buffer.from(chunk));
    }, 20);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
