/**
 * A GSM modem simulator speaking AT over any byte link (a pseudo-terminal in the tests, an
 * in-memory line in `monitor demo`). It answers with the lines of a real modem's profile
 * (profiles.ts), stores messages, accepts AT+CMGS, emits +CMTI / +CDS / +CDSI, and can be told
 * to fail: +CMS ERROR on sends, full storage, silence (a hung modem).
 */
import { parseRanges, splitArgs } from '../at/lines.js';
import type { Decoded } from '../pdu/decode.js';
import { decodePdu } from '../pdu/decode.js';
import { buildDeliver, buildStatusReport, type DeliverOptions } from './network.js';
import { PROFILES, type SimProfile } from './profiles.js';

export interface DeviceLink {
  write(data: string | Uint8Array): void | Promise<void>;
  onData(listener: (chunk: Buffer) => void): void;
}

export interface SimOptions {
  profile?: SimProfile['id'];
  /** SIM PIN; the SIM asks for it at power-on when set. */
  pin?: string;
  /** Delay of AT+CMGS (network time). */
  sendDelayMs?: number;
  /** Status report after a send that asked for one; false to never send any. */
  reportDelayMs?: number | false;
  /** Noise URCs every N ms while running (0 = none). */
  noiseEveryMs?: number;
  /** Noise also while the modem waits for a PDU after the `> ` prompt (Huawei ^RSSI floods). */
  noiseDuringPrompt?: boolean;
  /** URCs written right after the prompt, in the same write (the worst case for a parser). */
  urcsAfterPrompt?: string[];
  smsc?: string;
  /** Replaces the profile's AT+CNMI=? answer (to drive the gateway down another path). */
  cnmiTest?: string;
}

interface Stored {
  stat: number;
  pdu: string;
}

export interface SubmittedSms {
  pdu: string;
  decoded: Decoded | undefined;
  mr: number;
  at: number;
}

export class ModemSimulator {
  readonly profile: SimProfile;
  readonly storage = new Map<number, Stored>();
  readonly submitted: SubmittedSms[] = [];
  /** Every command line received (for assertions). */
  readonly commands: string[] = [];
  private echo = true;
  private pinOk: boolean;
  private cnmi = { mode: 0, mt: 0, ds: 0 };
  private mr = 0;
  private buf = '';
  private body: { len: number; data: string } | undefined;
  private readonly waiting: string[] = [];
  private noiseTimer: NodeJS.Timeout | undefined;
  private noiseIndex = 0;
  private smsc: string;
  /** Memory chosen by AT+CPMS (announced in +CMTI). */
  mem: string;
  /** No answer at all (a hung modem). */
  muted = false;
  /** CMS error codes for the next sends, in order. */
  readonly sendErrors: number[] = [];
  /** Hold the +CMGS answer until `releaseSend()` (to kill a client with a send in flight). */
  holdSends = false;
  private held: Array<() => void> = [];
  /** Answer AT+CMGD with OK but keep the message (a crash test: published, not yet deleted). */
  keepDeleted = false;
  /** Answer AT+CMGR with this +CMS ERROR once. */
  readErrors: number[] = [];
  /** Called with each command line (tests hook here). */
  onCommand: ((line: string) => void) | undefined;
  /**
   * A wedged modem: its AT interpreter still answers AT, ATE, AT+CMEE and AT+CFUN, but every
   * SIM or SMS command goes unanswered (the "stops working after a day" case). AT+CFUN=1,1
   * reboots it and clears the state.
   */
  wedged = false;
  /** Status reports the EC25 keeps in its "SR" memory (see SimProfile.cdsiWrongMemory). */
  readonly srStorage = new Map<number, Stored>();

  constructor(
    private readonly link: DeviceLink,
    private readonly o: SimOptions = {},
  ) {
    const base = PROFILES[o.profile ?? 'sim800'];
    this.profile = o.cnmiTest ? { ...base, cnmiTest: o.cnmiTest } : base;
    this.pinOk = !o.pin;
    this.smsc = o.smsc ?? '+33695000695';
    this.mem = this.profile.storage;
    this.resetCnmi();
    link.onData((chunk) => this.onData(chunk));
    if (o.noiseEveryMs) {
      this.noiseTimer = setInterval(() => this.noise(), o.noiseEveryMs);
      this.noiseTimer.unref();
    }
  }

  stop(): void {
    if (this.noiseTimer) clearInterval(this.noiseTimer);
    for (const h of this.held.splice(0)) h();
  }

  /** Power-on URCs. */
  boot(): void {
    this.echo = true;
    this.resetCnmi();
    this.body = undefined;
    for (const l of this.profile.boot) {
      if (l === '+CPIN: READY' && !this.pinOk) this.urc('+CPIN: SIM PIN');
      else this.urc(l);
    }
  }

  private resetCnmi(): void {
    const [mode, mt, ds] = this.profile.cnmiDefault;
    this.cnmi = { mode, mt, ds };
  }

  private noise(): void {
    if (this.muted || this.profile.noise.length === 0) return;
    if (this.body && !this.o.noiseDuringPrompt) return;
    this.urc(this.profile.noise[this.noiseIndex++ % this.profile.noise.length] as string);
  }

  private out(s: string): void {
    if (this.muted) return;
    void Promise.resolve(this.link.write(s)).catch(() => {});
  }

  urc(line: string, body?: string): void {
    this.out(`\r\n${line}\r\n${body !== undefined ? `${body}\r\n` : ''}`);
  }

  private reply(lines: string[], final = 'OK'): true {
    this.out(lines.map((l) => `\r\n${l}\r\n`).join('') + `\r\n${final}\r\n`);
    return true;
  }

  get used(): number {
    return this.storage.size;
  }

  get full(): boolean {
    return this.storage.size >= this.profile.capacity;
  }

  /**
   * An incoming voice call abandoned while ringing: RING and +CLIP (the caller), repeated, then
   * NO CARRIER when the caller hangs up. The +CLIP line is the SIM800L's as quoted in
   * vshymanskyy/TinyGSM#721; NO CARRIER ending an unanswered call is V.250 §5.7.1 / TS 27.007
   * §6.2 (UNVERIFIED in a public SIM800 log). The codes come whatever command is pending.
   */
  incomingCall(number: string, rings = 1, everyMs = 30): Promise<void> {
    return new Promise((resolve) => {
      let n = 0;
      const tick = () => {
        if (n++ < rings) {
          this.urc('RING');
          this.urc(`+CLIP: "${number}",145,"",0,"",0`);
          setTimeout(tick, everyMs);
        } else {
          this.urc('NO CARRIER');
          resolve();
        }
      };
      tick();
    });
  }

  /** The network delivers a text: stored and announced with +CMTI (queued while storage is full). */
  receive(o: DeliverOptions): string[] {
    const pdus = buildDeliver({ smsc: this.smsc, ...o });
    for (const p of pdus) this.receivePdu(p);
    return pdus;
  }

  receivePdu(pdu: string): void {
    if (this.full) {
      this.waiting.push(pdu);
      return;
    }
    const idx = this.freeIndex();
    this.storage.set(idx, { stat: 0, pdu });
    if (this.cnmi.mt === 1 || this.cnmi.mt === 0) {
      if (this.cnmi.mt === 1) this.urc(`+CMTI: "${this.mem}",${idx}`);
    } else if (this.cnmi.mt === 2) {
      this.storage.delete(idx);
      this.urc(`+CMT: ,${pdu.length / 2 - 1 - Number.parseInt(pdu.slice(0, 2), 16)}`, pdu);
    }
  }

  private freeIndex(): number {
    // SIM800 and Huawei number SIM slots from 1, Quectel ME storage from 0.
    let i = this.profile.id === 'quectel' ? 0 : 1;
    while (this.storage.has(i)) i++;
    return i;
  }

  private flushWaiting(): void {
    while (!this.full && this.waiting.length) this.receivePdu(this.waiting.shift() as string);
  }

  /** Sends waiting for their +CMGS answer (the PDU and Ctrl-Z were received). */
  get heldSends(): number {
    return this.held.length;
  }

  /** The next AT+CMGS answers `+CMGS: <reference>` (to replay a published exchange). */
  setNextReference(reference: number): void {
    this.mr = (reference - 1) & 0xff;
  }

  releaseSends(): void {
    this.holdSends = false;
    for (const h of this.held.splice(0)) h();
  }

  private onData(chunk: Buffer): void {
    if (this.muted) return;
    for (const ch of chunk.toString('latin1')) {
      if (this.body) {
        if (ch === '\x1a') {
          const b = this.body;
          this.body = undefined;
          this.onPdu(b.len, b.data);
        } else if (ch === '\x1b') {
          this.body = undefined;
          this.out('\r\nOK\r\n');
        } else if (ch !== '\r' && ch !== '\n') this.body.data += ch;
        continue;
      }
      if (ch === '\x1b') continue;
      if (ch === '\r') {
        const line = this.buf.trim();
        this.buf = '';
        if (this.echo) this.out(`${line}\r`);
        if (line) this.onLine(line);
      } else if (ch !== '\n') this.buf += ch;
    }
  }

  /** Answers one command line (every branch answers; `true` only helps the early returns). */
  private onLine(line: string): true | undefined {
    this.commands.push(line);
    this.onCommand?.(line);
    const up = line.toUpperCase();
    if (!up.startsWith('AT')) return this.reply([], 'ERROR');
    const cmd = up.slice(2);
    const arg = line.slice(line.indexOf('=') + 1);
    const p = this.profile;
    const needPin = () => {
      if (this.pinOk) return false;
      this.reply([], '+CME ERROR: 11');
      return true;
    };
    if (cmd === 'Z') {
      this.resetCnmi();
      return this.reply([]);
    }
    if (cmd === '' || cmd === '+CMEE=1' || cmd === '+CMEE=2' || cmd === '&F') return this.reply([]);
    if (this.wedged && !/^(E[01]|\+CFUN)/.test(cmd)) return;
    if (cmd === 'E0' || cmd === 'E1') {
      this.echo = cmd === 'E1';
      return this.reply([]);
    }
    if (cmd === 'I') return this.reply([p.manufacturer, p.model, p.revision]);
    if (cmd === '+CGMI') return this.reply([p.manufacturer]);
    if (cmd === '+CGMM') return this.reply([p.model]);
    if (cmd === '+CGMR') return this.reply([p.revision]);
    if (cmd === '+CGSN') return this.reply([p.imei]);
    if (cmd === '+CPIN?') return this.reply([this.pinOk ? '+CPIN: READY' : '+CPIN: SIM PIN']);
    if (cmd.startsWith('+CPIN=')) {
      if (splitArgs(arg)[0] === this.o.pin) {
        this.pinOk = true;
        return this.reply([]);
      }
      return this.reply([], '+CME ERROR: 16');
    }
    if (cmd === '+CFUN?') return this.reply(['+CFUN: 1']);
    if (cmd.startsWith('+CFUN=')) {
      this.reply([]);
      if (cmd.includes(',1')) {
        this.wedged = false;
        setTimeout(() => this.boot(), 50);
      }
      return;
    }
    if (cmd === '+CSQ') return this.reply([p.csq]);
    if (cmd === '+CREG?') return this.reply(['+CREG: 0,1']);
    if (cmd === '+COPS?') return this.reply([p.cops]);
    if (cmd === '+CMGF=0' || cmd === '+CMGF=1') return this.reply([]);
    if (cmd === '+CMGF?') return this.reply(['+CMGF: 0']);
    if (cmd === '+CSCA?') return this.reply([`+CSCA: "${this.smsc}",145`]);
    if (cmd.startsWith('+CSCA=')) {
      this.smsc = splitArgs(arg)[0] ?? this.smsc;
      return this.reply([]);
    }
    if (cmd === '+CPMS=?') return this.reply([p.cpmsTest]);
    if (cmd === '+CPMS?') {
      const m = `"${this.mem}",${this.used},${p.capacity}`;
      return this.reply([`+CPMS: ${m},${m},${m}`]);
    }
    if (cmd.startsWith('+CPMS=')) {
      this.mem = splitArgs(arg)[0] ?? this.mem;
      const u = `${this.used},${p.capacity}`;
      return this.reply([`+CPMS: ${u},${u},${u}`]);
    }
    if (cmd === '+CNMI=?') return this.reply([p.cnmiTest]);
    if (cmd === '+CNMI?') {
      const c = this.cnmi;
      return this.reply([`+CNMI: ${c.mode},${c.mt},0,${c.ds},0`]);
    }
    if (cmd.startsWith('+CNMI=')) {
      // Values the modem does not offer in AT+CNMI=? are refused (python-gsmmodem#60: a SIM800L
      // refuses <ds>=2). The exact error of each modem is unverified: plain ERROR here.
      const offered = parseRanges(p.cnmiTest.replace(/^\+CNMI:\s*/, ''));
      const asked = splitArgs(arg);
      if (asked.some((v, i) => v !== '' && offered[i] !== undefined && !offered[i]?.includes(v)))
        return this.reply([], 'ERROR');
      const a = asked.map(Number);
      this.cnmi = { mode: a[0] ?? 0, mt: a[1] ?? 0, ds: a[3] ?? 0 };
      this.reply([]);
      this.flushWaiting();
      return;
    }
    if (cmd.startsWith('+CMGR=')) {
      if (needPin()) return;
      const err = this.readErrors.shift();
      if (err !== undefined) return this.reply([], `+CMS ERROR: ${err}`);
      const s = this.storage.get(Number(arg));
      if (!s) return p.emptyRead === 'ok' ? this.reply([]) : this.reply([], '+CMS ERROR: 321');
      const len = s.pdu.length / 2 - 1 - Number.parseInt(s.pdu.slice(0, 2), 16);
      const stat = s.stat;
      if (s.stat === 0) s.stat = 1;
      return this.reply([`+CMGR: ${stat},,${len}`, s.pdu]);
    }
    if (cmd.startsWith('+CMGL')) {
      if (needPin()) return;
      const lines: string[] = [];
      for (const [i, s] of [...this.storage.entries()].sort((a, b) => a[0] - b[0])) {
        const len = s.pdu.length / 2 - 1 - Number.parseInt(s.pdu.slice(0, 2), 16);
        lines.push(`+CMGL: ${i},${s.stat},,${len}`, s.pdu);
        if (s.stat === 0) s.stat = 1;
      }
      return this.reply(lines);
    }
    if (cmd.startsWith('+CMGD=')) {
      const i = Number(splitArgs(arg)[0]);
      if (this.keepDeleted) return this.reply([]);
      if (!this.storage.delete(i) && p.emptyRead === 'cms321') return this.reply([], '+CMS ERROR: 321');
      this.reply([]);
      this.flushWaiting();
      return;
    }
    if (cmd.startsWith('+CMGS=')) {
      if (needPin()) return;
      this.body = { len: Number(arg), data: '' };
      const after = (this.o.urcsAfterPrompt ?? []).map((u) => `\r\n${u}\r\n`).join('');
      this.out(p.prompt + after);
      return;
    }
    this.reply([], 'ERROR');
  }

  private onPdu(len: number, hex: string): void {
    const d = decodePdu(hex);
    const decoded = d.ok ? d.value : undefined;
    if (decoded?.type !== 'submit' || decoded.tpduLength !== len) {
      this.reply([], '+CMS ERROR: 304');
      return;
    }
    const answer = () => {
      const err = this.sendErrors.shift();
      if (err !== undefined) {
        this.reply([], `+CMS ERROR: ${err}`);
        return;
      }
      this.mr = (this.mr + 1) & 0xff;
      const mr = this.mr;
      this.submitted.push({ pdu: hex, decoded, mr, at: Date.now() });
      this.reply([`+CMGS: ${mr}`]);
      if (decoded.statusReportRequested && this.o.reportDelayMs !== false)
        setTimeout(() => this.statusReport(mr, decoded.address, 0), this.o.reportDelayMs ?? 200);
    };
    const go = () => setTimeout(answer, this.o.sendDelayMs ?? 20);
    if (this.holdSends) this.held.push(go);
    else go();
  }

  /** The network reports on a submitted message: +CDS (ds=1) or stored + +CDSI (ds=2). */
  statusReport(mr: number, recipient: string, status: number): void {
    const r = buildStatusReport(mr, recipient, status, {
      withSmsc: this.profile.cdsWithSmsc,
      smsc: this.smsc,
    });
    if (this.cnmi.ds === 1) this.urc(`+CDS: ${r.tpduLength}`, r.hex);
    else if (this.cnmi.ds === 2) {
      const hex = this.profile.cdsWithSmsc ? r.hex : `00${r.hex}`;
      if (this.profile.cdsiWrongMemory) {
        let i = 0;
        while (this.srStorage.has(i)) i++;
        this.srStorage.set(i, { stat: 0, pdu: hex });
        this.urc(`+CDSI: "SM",${i}`);
        return;
      }
      const idx = this.freeIndex();
      this.storage.set(idx, { stat: 0, pdu: hex });
      this.urc(`+CDSI: "${this.mem}",${idx}`);
    }
  }
}
