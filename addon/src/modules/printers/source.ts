/**
 * What every printer source offers the module, and the plumbing they share: the current
 * status, timers that all stop with the source, an abort signal for in-flight requests, and
 * logging of changes of reachability once (not at every poll).
 *
 * A source never throws out of its timers: every failure becomes a status (offline, problem).
 * One printer's source knows nothing of the others, so a printer down never affects another.
 */
import type { Logger } from '../../core/logger.js';
import { type HttpResult, joinUrl, request } from './http.js';
import {
  type CommandName,
  emptyStatus,
  offlineStatus,
  type PrinterStatus,
  type SourceType,
} from './model.js';

export interface SourceOptions {
  name: string;
  type: SourceType;
  url: string;
  apiKey: string;
  /** Polling period (fallback when there is no push, and for Prometheus). */
  intervalMs: number;
  timeoutMs: number;
  /** Use the printer's push channel when it has one. */
  push: boolean;
  /** A snapshot URL given in the config wins over what the printer reports. */
  snapshotUrl: string;
  log: Logger;
  onStatus: (s: PrinterStatus) => void;
}

export interface CommandResult {
  ok: boolean;
  outcome: 'done' | 'not_operational' | 'unsupported' | 'failed';
  message: string;
}

export interface PrinterSource {
  readonly type: SourceType;
  readonly supportsCommands: boolean;
  start(): void;
  stop(): Promise<void>;
  current(): PrinterStatus;
  command(cmd: CommandName): Promise<CommandResult>;
  /** Resolves with the first complete status (used by `printers probe`). */
  firstStatus(): Promise<PrinterStatus>;
}

export abstract class BaseSource implements PrinterSource {
  abstract readonly type: SourceType;
  abstract readonly supportsCommands: boolean;
  protected status: PrinterStatus = emptyStatus();
  protected stopped = false;
  protected readonly abort = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private firstWaiters: Array<(s: PrinterStatus) => void> = [];
  private reachable: boolean | undefined;
  private lastProblem: string | null = null;
  private channelRetry = false;

  constructor(protected readonly opts: SourceOptions) {}

  abstract start(): void;
  abstract command(cmd: CommandName): Promise<CommandResult>;

  /** GET a path of the printer's API, with its key, timeout and this source's abort signal. */
  protected get(path: string): Promise<HttpResult> {
    return request(joinUrl(this.opts.url, path), {
      apiKey: this.opts.apiKey,
      timeoutMs: this.opts.timeoutMs,
      signal: this.abort.signal,
    });
  }

  current(): PrinterStatus {
    return this.status;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  firstStatus(): Promise<PrinterStatus> {
    return new Promise((resolve) => this.firstWaiters.push(resolve));
  }

  /** Marks the first status as complete: `firstStatus()` resolves with it. */
  protected settled(): void {
    const waiters = this.firstWaiters;
    this.firstWaiters = [];
    for (const w of waiters) w(this.status);
  }

  /** Runs `fn` after `ms` unless the source stopped; errors are logged, never thrown. */
  protected later(ms: number, fn: () => void | Promise<void>): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.stopped) return;
      Promise.resolve()
        .then(fn)
        .catch((err) => this.opts.log.error(() => `${this.opts.name}: internal error`, err));
    }, ms);
    this.timers.add(t);
  }

  /**
   * Runs `round` now, then every `intervalMs` until the source stops. A round that throws is
   * logged and the next one still comes: one bad answer never stops a printer's polling.
   */
  protected repeat(round: () => Promise<void>): void {
    const run = async () => {
      try {
        await round();
      } catch (err) {
        this.opts.log.error(() => `${this.opts.name}: internal error, polling goes on`, err);
      } finally {
        this.settled();
        this.later(this.opts.intervalMs, run);
      }
    };
    this.later(0, run);
  }

  /**
   * Arms the retry of the push channel after its backoff delay. Until it fires, polls must not
   * open the channel themselves (`channelRetryArmed`): that would bypass the backoff.
   */
  protected retryChannel(delayMs: number, open: () => void | Promise<void>): void {
    this.channelRetry = true;
    this.later(delayMs, () => {
      this.channelRetry = false;
      return open();
    });
  }

  protected get channelRetryArmed(): boolean {
    return this.channelRetry;
  }

  protected clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  protected update(partial: Partial<PrinterStatus>): void {
    if (this.stopped) return;
    this.status = { ...this.status, ...partial };
    this.noteReachability();
    this.opts.onStatus(this.status);
  }

  protected replace(status: PrinterStatus): void {
    if (this.stopped) return;
    this.status = status;
    this.noteReachability();
    this.opts.onStatus(this.status);
  }

  /** The host did not answer (or answered garbage): offline, with the reason. */
  protected markOffline(problem: string): void {
    this.replace(offlineStatus(this.status, problem));
  }

  /** An answer that is not a usable status: keeps the host online but says why. */
  protected markProblem(r: Extract<HttpResult, { ok: false }>, hint = ''): void {
    if (r.kind === 'timeout' || r.kind === 'network') this.markOffline(r.message);
    else this.update({ online: true, state: 'unknown', link: 'none', problem: `${r.message}${hint}` });
  }

  private noteReachability(): void {
    const { log, name } = this.opts;
    const s = this.status;
    if (s.online !== this.reachable) {
      if (s.online) log.info(() => `${name}: reachable (${s.state})`);
      else log.warn(() => `${name}: unreachable: ${s.problem ?? 'no answer'}`);
      this.reachable = s.online;
    }
    if (s.problem !== this.lastProblem) {
      if (s.problem && s.online) log.warn(() => `${name}: ${s.problem}`);
      this.lastProblem = s.problem;
    }
  }
}

/** A hint added to 401/403 messages, so that users know where to look. */
export const AUTH_HINT = ' (check api_key)';
