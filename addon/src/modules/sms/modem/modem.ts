/**
 * What the gateway asks of a GSM modem, in AT commands (TS 27.005 PDU mode, TS 27.007): an
 * init that survives any prior state, reading, listing, deleting and sending messages, and
 * the figures shown as entities (signal, registration, operator, storage).
 */
import type { Logger } from '../../../core/logger.js';
import { type AtEngine, AtError } from '../at/engine.js';
import { parseInfo, parseRanges, splitArgs } from '../at/lines.js';

export type ModemErrorCode =
  | 'no_answer'
  | 'sim_absent'
  | 'sim_pin_required'
  | 'sim_puk_required'
  | 'pin_wrong'
  | 'sim_error';

export class ModemError extends Error {
  constructor(
    readonly code: ModemErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModemError';
  }
}

export interface ModemOptions {
  pin?: string;
  smsc?: string;
  /** Preferred message storage; the first offered of this, SM, ME, MT otherwise. */
  storage?: string;
  commandTimeoutMs: number;
  sendTimeoutMs: number;
}

export interface ModemInfo {
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
}

export interface InitReport {
  info: ModemInfo;
  sim: 'ready';
  smsc: string | null;
  storage: string;
  cnmi: string;
  cnmiSupported: string;
}

export interface StoredPdu {
  index: number;
  stat: number;
  pdu: string;
}

export type Registration =
  | 'not_registered'
  | 'registered_home'
  | 'searching'
  | 'denied'
  | 'unknown'
  | 'roaming';

export interface ModemStatus {
  signalPct: number | null;
  signalDbm: number | null;
  registration: Registration;
  operator: string | null;
  storageUsed: number | null;
  storageTotal: number | null;
}

const REG: Registration[] = [
  'not_registered',
  'registered_home',
  'searching',
  'denied',
  'unknown',
  'roaming',
];

/** +CSQ rssi (0..31, 99 unknown) → dBm and percent. */
export function csqToSignal(rssi: number): { dbm: number | null; pct: number | null } {
  if (!Number.isFinite(rssi) || rssi < 0 || rssi > 31) return { dbm: null, pct: null };
  return { dbm: -113 + 2 * rssi, pct: Math.round((rssi / 31) * 100) };
}

/** Chooses a value from what a `=?` answer offers, in order of preference. */
export function pick(offered: string[] | undefined, prefs: string[]): string | undefined {
  if (!offered || offered.length === 0) return undefined;
  return prefs.find((p) => offered.includes(p)) ?? offered[0];
}

/**
 * AT+CNMI parameters from AT+CNMI=? : new messages stored and announced (+CMTI, mt=1) so that
 * nothing is lost if we are down; status reports routed directly (+CDS, ds=1) when offered,
 * since stored reports land in memories some modems announce wrongly (Quectel "SR"), else
 * stored (ds=2, +CDSI).
 */
export function chooseCnmi(test: string): string {
  const g = parseRanges(test.replace(/^\+CNMI:\s*/, ''));
  const mode = pick(g[0], ['2', '1', '3']) ?? '2';
  const mt = pick(g[1], ['1']) ?? '1';
  const bm = pick(g[2], ['0']) ?? '0';
  const ds = pick(g[3], ['1', '2', '0']) ?? '0';
  const bfr = pick(g[4], ['0']) ?? '0';
  return g.length >= 5 ? `${mode},${mt},${bm},${ds},${bfr}` : `${mode},${mt},${bm},${ds}`;
}

export class Modem {
  info: ModemInfo | undefined;
  storage = 'SM';

  constructor(
    readonly engine: AtEngine,
    private readonly log: Logger,
    private readonly o: ModemOptions,
  ) {}

  private at(cmd: string, timeoutMs = this.o.commandTimeoutMs): Promise<string[]> {
    return this.engine.send(cmd, { timeoutMs });
  }

  private async optional(cmd: string): Promise<string[]> {
    try {
      return await this.at(cmd);
    } catch (err) {
      if (err instanceof AtError && err.kind !== 'timeout' && err.kind !== 'closed') return [];
      throw err;
    }
  }

  async ping(timeoutMs = this.o.commandTimeoutMs): Promise<void> {
    await this.at('AT', timeoutMs);
  }

  /** From any prior state: abort a half-sent AT+CMGS, echo off, errors as codes, SIM, PDU mode, storage, routing. */
  async init(): Promise<InitReport> {
    await this.engine.writeRaw('\x1b').catch(() => {});
    await this.engine.drain(100, 1000);
    let answered = false;
    for (let i = 0; i < 3 && !answered; i++) {
      try {
        await this.ping();
        answered = true;
      } catch (err) {
        if (err instanceof AtError && err.kind === 'closed') throw err;
      }
    }
    if (!answered) throw new ModemError('no_answer', 'the modem does not answer AT');
    await this.at('ATE0');
    await this.optional('AT+CMEE=1');
    await this.unlockSim();
    await this.at('AT+CMGF=0');
    const smsc = await this.checkSmsc();
    const cpms = (await this.optional('AT+CPMS=?')).find((l) => l.startsWith('+CPMS:')) ?? '';
    const mems = parseRanges(cpms.replace(/^\+CPMS:\s*/, ''));
    const prefs = [...(this.o.storage ? [this.o.storage] : []), 'SM', 'ME', 'MT'];
    const mem1 = pick(mems[0], prefs) ?? 'SM';
    const mem3 = pick(mems[2], [mem1, ...prefs]) ?? mem1;
    this.storage = mem1;
    await this.optional(`AT+CPMS="${mem1}","${mem1}","${mem3}"`);
    const cnmiTest =
      (await this.optional('AT+CNMI=?')).find((l) => l.startsWith('+CNMI:')) ?? '+CNMI: (2),(1),(0),(1),(0)';
    const cnmi = chooseCnmi(cnmiTest);
    await this.at(`AT+CNMI=${cnmi}`);
    const first = async (cmd: string) => (await this.optional(cmd))[0]?.replace(/^\+\w+:\s*/, '') ?? '';
    this.info = {
      manufacturer: await first('AT+CGMI'),
      model: await first('AT+CGMM'),
      revision: await first('AT+CGMR'),
      imei: await first('AT+CGSN'),
    };
    this.log.info(
      () => `modem ${this.info?.manufacturer} ${this.info?.model} ready (storage ${mem1}, CNMI ${cnmi})`,
    );
    return { info: this.info, sim: 'ready', smsc, storage: mem1, cnmi, cnmiSupported: cnmiTest };
  }

  async simState(): Promise<string> {
    try {
      const lines = await this.at('AT+CPIN?');
      const l = lines.find((x) => x.startsWith('+CPIN:'));
      return (l ?? '+CPIN: READY').replace(/^\+CPIN:\s*/, '').trim();
    } catch (err) {
      if (err instanceof AtError && err.kind === 'cme' && err.code === 10) return 'NOT INSERTED';
      if (err instanceof AtError && err.kind === 'cme') return `ERROR ${err.code}`;
      throw err;
    }
  }

  private async unlockSim(): Promise<void> {
    let state = await this.simState();
    if (state === 'SIM PIN') {
      if (!this.o.pin)
        throw new ModemError(
          'sim_pin_required',
          'the SIM asks for its PIN and none is configured (sms.sim_pin)',
        );
      try {
        await this.at(`AT+CPIN="${this.o.pin}"`, 10_000);
      } catch (err) {
        if (err instanceof AtError && (err.kind === 'cme' || err.kind === 'error'))
          throw new ModemError(
            'pin_wrong',
            'the SIM refused the configured PIN (not retried, to keep the remaining tries)',
          );
        throw err;
      }
      // The SIM needs a moment before SMS commands work (SIM800: "SMS Ready").
      for (let i = 0; i < 20 && state !== 'READY'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        state = await this.simState();
      }
    }
    if (state === 'READY') return;
    if (state === 'NOT INSERTED') throw new ModemError('sim_absent', 'no SIM card in the modem');
    if (state === 'SIM PUK')
      throw new ModemError('sim_puk_required', 'the SIM is blocked and asks for its PUK');
    throw new ModemError('sim_error', `SIM state: ${state}`);
  }

  private async checkSmsc(): Promise<string | null> {
    const l = (await this.optional('AT+CSCA?')).find((x) => x.startsWith('+CSCA:'));
    const current = l ? (splitArgs(l.replace(/^\+CSCA:\s*/, ''))[0] ?? '') : '';
    if (this.o.smsc && current.replace(/\s/g, '') !== this.o.smsc) {
      await this.at(`AT+CSCA="${this.o.smsc}",${this.o.smsc.startsWith('+') ? 145 : 129}`);
      return this.o.smsc;
    }
    if (!current) this.log.warn('the SIM has no SMS centre number; set sms.smsc');
    return current || null;
  }

  async read(index: number): Promise<StoredPdu | null> {
    const lines = await this.at(`AT+CMGR=${index}`);
    const i = lines.findIndex((l) => l.startsWith('+CMGR:'));
    if (i < 0 || !lines[i + 1]) return null;
    const args = splitArgs((lines[i] as string).replace(/^\+CMGR:\s*/, ''));
    return { index, stat: Number(args[0]), pdu: lines[i + 1] as string };
  }

  /** AT+CMGL=4: every stored message (the sweep that catches anything missed). */
  async listAll(): Promise<StoredPdu[]> {
    const lines = await this.at('AT+CMGL=4', Math.max(this.o.commandTimeoutMs, 10_000));
    const out: StoredPdu[] = [];
    for (let i = 0; i < lines.length; i++) {
      const info = parseInfo(lines[i] as string);
      if (info?.name !== '+CMGL') continue;
      const pdu = lines[i + 1];
      if (pdu && /^[0-9A-Fa-f]+$/.test(pdu)) {
        out.push({ index: Number(info.args[0]), stat: Number(info.args[1]), pdu });
        i++;
      }
    }
    return out;
  }

  async delete(index: number): Promise<void> {
    await this.at(`AT+CMGD=${index}`);
  }

  /** AT+CMGS: returns the message reference the network gave. */
  async send(pdu: string, tpduLength: number, beforeCommit?: () => void | Promise<void>): Promise<number> {
    const lines = await this.engine.sendPdu(`AT+CMGS=${tpduLength}`, pdu, {
      timeoutMs: this.o.sendTimeoutMs,
      promptTimeoutMs: Math.min(this.o.commandTimeoutMs, 10_000),
      beforeCommit,
    });
    const l = lines.find((x) => x.startsWith('+CMGS:'));
    return l ? Number(l.replace(/^\+CMGS:\s*/, '').split(',')[0]) : -1;
  }

  async status(): Promise<ModemStatus> {
    const s: ModemStatus = {
      signalPct: null,
      signalDbm: null,
      registration: 'unknown',
      operator: null,
      storageUsed: null,
      storageTotal: null,
    };
    const csq = (await this.optional('AT+CSQ')).find((l) => l.startsWith('+CSQ:'));
    if (csq) {
      const sig = csqToSignal(Number(splitArgs(csq.replace(/^\+CSQ:\s*/, ''))[0]));
      s.signalPct = sig.pct;
      s.signalDbm = sig.dbm;
    }
    // The answer is `+CREG: <n>,<stat>[,<lac>,<ci>]`; a URC that slips in is `+CREG: <stat>[,<lac>,<ci>]`
    // (the Huawei E1752 sends "+CREG: 1, E006B, ABE0016", gammu#126): told apart by their length.
    const creg = (await this.optional('AT+CREG?'))
      .filter((l) => l.startsWith('+CREG:'))
      .map((l) => splitArgs(l.replace(/^\+CREG:\s*/, '')))
      .find((a) => a.length === 2 || a.length >= 4);
    if (creg) s.registration = REG[Number(creg[1])] ?? 'unknown';
    const cops = (await this.optional('AT+COPS?')).find((l) => l.startsWith('+COPS:'));
    if (cops) s.operator = splitArgs(cops.replace(/^\+COPS:\s*/, ''))[2] ?? null;
    const cpms = (await this.optional('AT+CPMS?')).find((l) => l.startsWith('+CPMS:'));
    if (cpms) {
      const a = splitArgs(cpms.replace(/^\+CPMS:\s*/, ''));
      s.storageUsed = Number(a[1]);
      s.storageTotal = Number(a[2]);
    }
    return s;
  }

  /** Last resort: a full functionality reset (the modem reboots). */
  async reset(): Promise<void> {
    await this.optional('AT+CFUN=1,1');
  }
}
