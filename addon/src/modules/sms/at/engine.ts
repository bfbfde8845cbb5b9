/**
 * The AT engine: one command at a time over a serial line, each with its own timeout; final
 * results (OK, ERROR, +CME ERROR, +CMS ERROR) settle the command, with their meaning; the `> `
 * prompt of AT+CMGS gets the PDU and Ctrl-Z; unsolicited codes (+CMTI, +CDS, RING, Huawei
 * ^RSSI floods, SIM800 voltage warnings…) arriving in the middle of a response are routed to
 * the URC handler and never mixed into the pending command's lines. Echo on or off both work.
 */
import type { Logger } from '../../../core/logger.js';
import type { SerialTransport } from '../serial/transport.js';
import { cmeMeaning, cmsMeaning } from './errors.js';
import { LineSplitter, parseFinal } from './lines.js';
import { isUnsolicitedCallResult, isUrc, urcHasBody, urcName } from './urc.js';

export type AtErrorKind = 'error' | 'cme' | 'cms' | 'timeout' | 'closed' | 'prompt_timeout';

export class AtError extends Error {
  constructor(
    readonly kind: AtErrorKind,
    readonly command: string,
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'AtError';
  }
}

export interface Urc {
  name: string;
  line: string;
  /** Second line of +CMT / +CDS (the PDU). */
  body?: string;
}

export interface SendOptions {
  timeoutMs?: number;
}

export interface PduSendOptions extends SendOptions {
  promptTimeoutMs?: number;
  /** Runs after the prompt, before the PDU and Ctrl-Z are written (the outbox journals here). */
  beforeCommit?: () => void | Promise<void>;
}

interface Pending {
  cmd: string;
  timeoutMs: number;
  pdu?: string;
  promptTimeoutMs?: number;
  beforeCommit?: () => void | Promise<void>;
  lines: string[];
  state: 'queued' | 'sent' | 'body';
  timer: NodeJS.Timeout | undefined;
  resolve: (lines: string[]) => void;
  reject: (err: AtError) => void;
}

export interface EngineOptions {
  log: Logger;
  defaultTimeoutMs: number;
  onUrc: (urc: Urc) => void;
  /** Called on any byte received (the watchdog's sign of life). */
  onActivity?: () => void;
}

const CTRL_Z = '\x1a';
const ESC = '\x1b';

export class AtEngine {
  private readonly splitter = new LineSplitter();
  private readonly queue: Pending[] = [];
  private current: Pending | undefined;
  private awaitingBody: Urc | undefined;
  private desynced = false;
  private closed = false;
  private lastByteAt = 0;
  /** Timeouts since the last final result: the watchdog's sign of a hung modem. */
  consecutiveTimeouts = 0;

  constructor(
    private readonly transport: SerialTransport,
    private readonly o: EngineOptions,
  ) {
    transport.onData((chunk) => this.onData(chunk));
  }

  /** Time of the last byte received (ms epoch). */
  get lastActivity(): number {
    return this.lastByteAt;
  }

  get busy(): boolean {
    return this.current !== undefined || this.queue.length > 0;
  }

  send(cmd: string, opts: SendOptions = {}): Promise<string[]> {
    return this.enqueue({ cmd, timeoutMs: opts.timeoutMs ?? this.o.defaultTimeoutMs });
  }

  /** AT+CMGS=<n> / AT+CMGW: waits for the prompt, writes the PDU then Ctrl-Z. */
  sendPdu(cmd: string, pdu: string, opts: PduSendOptions = {}): Promise<string[]> {
    return this.enqueue({
      cmd,
      pdu,
      timeoutMs: opts.timeoutMs ?? this.o.defaultTimeoutMs,
      promptTimeoutMs: opts.promptTimeoutMs ?? 5000,
      beforeCommit: opts.beforeCommit,
    });
  }

  /** Writes bytes outside the queue (ESC to abort a half-sent CMGS during init). */
  async writeRaw(data: string): Promise<void> {
    await this.transport.write(data);
  }

  /** Discards input until the line is quiet for `quietMs` (at most `maxMs`). */
  async drain(quietMs = 150, maxMs = 2000): Promise<void> {
    const start = Date.now();
    this.splitter.reset();
    this.awaitingBody = undefined;
    const mark = () => this.lastByteAt;
    for (;;) {
      const before = mark();
      await new Promise((r) => setTimeout(r, quietMs));
      if (mark() === before || Date.now() - start > maxMs) break;
    }
    this.splitter.reset();
    this.desynced = false;
  }

  /** Rejects everything pending (the line closed, or the module stops). */
  close(reason = 'serial line closed'): void {
    this.closed = true;
    const all = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = undefined;
    for (const p of all) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new AtError('closed', p.cmd, `${p.cmd}: ${reason}`));
    }
  }

  private enqueue(p: Omit<Pending, 'lines' | 'state' | 'timer' | 'resolve' | 'reject'>): Promise<string[]> {
    if (this.closed) return Promise.reject(new AtError('closed', p.cmd, `${p.cmd}: serial line closed`));
    return new Promise((resolve, reject) => {
      this.queue.push({ ...p, lines: [], state: 'queued', timer: undefined, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.current || this.queue.length === 0 || this.closed) return;
    const p = this.queue.shift() as Pending;
    this.current = p;
    try {
      if (this.desynced) await this.drain();
      if (this.current !== p) return;
      p.state = 'sent';
      this.arm(p, p.pdu !== undefined ? (p.promptTimeoutMs as number) : p.timeoutMs, p.pdu !== undefined);
      this.o.log.debug(() => `> ${redactCommand(p.cmd)}`);
      await this.transport.write(`${p.cmd}\r`);
    } catch (err) {
      this.settle(
        p,
        new AtError('closed', p.cmd, `${p.cmd}: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
  }

  private arm(p: Pending, ms: number, waitingPrompt: boolean): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      if (this.current !== p) return;
      this.desynced = true;
      this.consecutiveTimeouts++;
      if (waitingPrompt && p.state === 'sent') {
        // Leave the prompt state the modem may be in, without sending anything.
        void this.transport.write(ESC).catch(() => {});
        this.settle(p, new AtError('prompt_timeout', p.cmd, `${p.cmd}: no "> " prompt within ${ms} ms`));
      } else this.settle(p, new AtError('timeout', p.cmd, `${p.cmd}: no answer within ${ms} ms`));
    }, ms);
  }

  private settle(p: Pending, result: string[] | AtError): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    if (this.current === p) this.current = undefined;
    if (result instanceof AtError) p.reject(result);
    else p.resolve(result);
    void this.pump();
  }

  private onData(chunk: Buffer): void {
    this.lastByteAt = Date.now();
    this.o.onActivity?.();
    for (const ev of this.splitter.feed(chunk)) {
      if (ev.kind === 'prompt') this.onPrompt();
      else this.onLine(ev.text);
    }
  }

  private onPrompt(): void {
    const p = this.current;
    if (!p || p.pdu === undefined || p.state !== 'sent') {
      this.o.log.debug('unexpected "> " prompt, cancelled with ESC');
      void this.transport.write(ESC).catch(() => {});
      return;
    }
    p.state = 'body';
    this.arm(p, p.timeoutMs, false);
    void (async () => {
      try {
        await p.beforeCommit?.();
        if (this.current !== p) return;
        await this.transport.write(`${p.pdu}${CTRL_Z}`);
      } catch (err) {
        void this.transport.write(ESC).catch(() => {});
        this.settle(
          p,
          new AtError('closed', p.cmd, `${p.cmd}: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    })();
  }

  private onLine(line: string): void {
    if (this.awaitingBody) {
      const urc = this.awaitingBody;
      this.awaitingBody = undefined;
      if (/^[0-9A-Fa-f]+$/.test(line)) {
        this.emitUrc({ ...urc, body: line });
        return;
      }
      this.emitUrc(urc);
    }
    const p = this.current;
    if (p && p.state !== 'queued') {
      // Echo of the command (ATE1) or of the PDU after the prompt.
      if (line === p.cmd || line.toUpperCase() === p.cmd.toUpperCase()) return;
      if (p.pdu !== undefined && line.replace(/[\x1a>\s]/g, '').toUpperCase() === p.pdu.toUpperCase()) return;
      if (isUnsolicitedCallResult(line, p.cmd)) {
        this.routeUrc(line);
        return;
      }
      const final = parseFinal(line);
      if (final) {
        // The watchdog's own "AT" proves the interpreter lives, not that the modem works: only
        // other commands clear the count (a modem answering AT while its SMS commands hang is
        // the wedged case the watchdog must catch).
        if (p.cmd !== 'AT') this.consecutiveTimeouts = 0;
        if (final.kind === 'ok') this.settle(p, p.lines);
        else if (final.kind === 'cme')
          this.settle(
            p,
            new AtError(
              'cme',
              p.cmd,
              `${p.cmd}: +CME ERROR ${final.text} (${cmeMeaning(final.code)})`,
              final.code,
            ),
          );
        else if (final.kind === 'cms')
          this.settle(
            p,
            new AtError(
              'cms',
              p.cmd,
              `${p.cmd}: +CMS ERROR ${final.text} (${cmsMeaning(final.code)})`,
              final.code,
            ),
          );
        else
          this.settle(
            p,
            new AtError('error', p.cmd, `${p.cmd}: ${final.kind === 'error' ? 'ERROR' : final.text}`),
          );
        return;
      }
      if (isUrc(line, p.cmd)) this.routeUrc(line);
      else p.lines.push(line);
      return;
    }
    if (isUnsolicitedCallResult(line, undefined)) {
      this.routeUrc(line);
      return;
    }
    if (parseFinal(line)) {
      this.o.log.debug(() => `stray final result "${line}" ignored`);
      return;
    }
    this.routeUrc(line);
  }

  private routeUrc(line: string): void {
    const urc: Urc = { name: urcName(line), line };
    if (urcHasBody(line)) this.awaitingBody = urc;
    else this.emitUrc(urc);
  }

  private emitUrc(urc: Urc): void {
    try {
      this.o.onUrc(urc);
    } catch (err) {
      this.o.log.error(() => `handler of ${urc.name} failed`, err);
    }
  }
}

/** AT+CPIN="1234" must never reach a log. */
export function redactCommand(cmd: string): string {
  return /^AT\+CPIN=/i.test(cmd) ? 'AT+CPIN=***' : cmd;
}
