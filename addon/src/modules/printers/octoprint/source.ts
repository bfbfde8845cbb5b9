/**
 * One OctoPrint instance (one printer). REST first (version, job, printer, settings for the
 * webcam) to learn the state and check the API key; then the push websocket, which delivers
 * every change within about half a second. While the push channel is down, REST polling at
 * the configured interval takes over and the push channel is retried with backoff.
 *
 * HTTP 409 from /api/printer means "printer not operational" (not connected to OctoPrint):
 * a state, not a failure.
 */
import { Backoff } from '../../../core/backoff.js';
import { asObject, joinUrl, request } from '../http.js';
import { type CommandName, type PrinterStatus, startsJob, str } from '../model.js';
import { AUTH_HINT, BaseSource, type CommandResult, type SourceOptions } from '../source.js';
import {
  parseJobResponse,
  parsePrinterResponse,
  parsePushState,
  resolveCameraUrl,
  snapshotFromSettings,
  softwareFromVersion,
  stateFromText,
} from './parse.js';
import { OctoPushClient, pushUrl } from './push.js';

const SETTINGS_REFRESH_MS = 10 * 60_000;

export interface OctoPrintTuning {
  /** Websocket ping period (a vanished host is noticed within two of them). */
  pingMs?: number;
  /** OctoPrint's throttle factor: `current` at most every 0.5 s × throttle. */
  throttle?: number;
}

export class OctoPrintSource extends BaseSource {
  readonly type = 'octoprint' as const;
  readonly supportsCommands = true;
  private push: OctoPushClient | undefined;
  private pushConnecting = false;
  private readonly pushBackoff = new Backoff({ initialMs: 1000, maxMs: 30_000 });
  private settingsAt = 0;
  private cameraUrl: string | null = null;
  private thumbnailFor: string | null = null;
  private thumbnailUrl: string | null = null;

  constructor(
    opts: SourceOptions,
    private readonly tuning: OctoPrintTuning = {},
  ) {
    super(opts);
  }

  start(): void {
    this.repeat(() => this.tick());
  }

  override async stop(): Promise<void> {
    this.push?.close();
    this.push = undefined;
    await super.stop();
  }

  /** Polls while the push channel is down (it opens the channel unless a retry is armed). */
  private async tick(): Promise<void> {
    if (!this.push) {
      const ok = await this.poll();
      if (ok && this.opts.push && !this.pushConnecting && !this.channelRetryArmed) void this.startPush();
    } else if (Date.now() - this.settingsAt > SETTINGS_REFRESH_MS) {
      await this.refreshSettings();
    }
  }

  /** One REST round: job and printer (and version/settings when due). False when unreachable. */
  private async poll(): Promise<boolean> {
    const [job, printer] = await Promise.all([this.get('api/job'), this.get('api/printer')]);
    if (this.stopped) return false;
    if (!job.ok) {
      this.markProblem(job, job.kind === 'auth' ? AUTH_HINT : '');
      return false;
    }
    const fromJob = parseJobResponse(job.data);
    if (!fromJob) {
      this.markProblem({ ok: false, kind: 'parse', message: 'api/job: unexpected answer' });
      return false;
    }
    const next: Partial<PrinterStatus> = { ...fromJob, online: true, problem: null };
    if (printer.ok) {
      Object.assign(next, parsePrinterResponse(printer.data) ?? {});
    } else if (printer.kind === 'conflict') {
      // Not operational: the printer is not connected to OctoPrint. No temperatures then.
      Object.assign(next, { tools: {}, bed: null, chamber: null });
    } else if (printer.kind === 'timeout' || printer.kind === 'network') {
      this.markOffline(printer.message);
      return false;
    } else {
      next.problem = printer.message;
    }
    if (!this.status.software) {
      const v = await this.get('api/version');
      if (v.ok) next.software = softwareFromVersion(v.data);
    }
    if (Date.now() - this.settingsAt > SETTINGS_REFRESH_MS) await this.refreshSettings();
    next.link = this.push ? 'push' : 'poll';
    this.apply(next);
    return true;
  }

  private async refreshSettings(): Promise<void> {
    const r = await this.get('api/settings');
    if (!r.ok) return;
    this.settingsAt = Date.now();
    this.cameraUrl = snapshotFromSettings(r.data, this.opts.url);
  }

  /** Merges a partial status; clears heaters when the printer is not connected. */
  private apply(partial: Partial<PrinterStatus>): void {
    const next: Partial<PrinterStatus> = { ...partial };
    const state = next.state ?? this.status.state;
    if (state === 'disconnected' || state === 'connecting')
      Object.assign(next, { tools: {}, bed: null, chamber: null });
    next.snapshot_url = this.opts.snapshotUrl || this.cameraUrl || this.thumbnailUrl;
    this.update(next);
    void this.maybeThumbnail(partial.file);
  }

  /**
   * Without a webcam, the G-code thumbnail that a slicer-thumbnail plugin attaches to the file
   * (`thumbnail` in the file's info, e.g. PrusaSlicer Thumbnails) stands in for the snapshot.
   */
  private async maybeThumbnail(file: string | null | undefined): Promise<void> {
    if (this.opts.snapshotUrl || this.cameraUrl || !file || file === this.thumbnailFor) return;
    this.thumbnailFor = file;
    const r = await this.get(`api/files/local/${file.split('/').map(encodeURIComponent).join('/')}`);
    const thumb = r.ok ? str(asObject(r.data)?.thumbnail) : null;
    this.thumbnailUrl = thumb ? resolveCameraUrl(thumb, this.opts.url) : null;
    if (this.thumbnailUrl) this.update({ snapshot_url: this.thumbnailUrl });
  }

  private async startPush(): Promise<void> {
    if (this.push || this.pushConnecting || this.stopped) return;
    this.pushConnecting = true;
    try {
      const auth = await this.passiveLogin();
      const client = new OctoPushClient(
        {
          url: pushUrl(this.opts.url),
          auth,
          throttle: this.tuning.throttle ?? 1,
          timeoutMs: this.opts.timeoutMs,
          pingMs: this.tuning.pingMs ?? 20_000,
          log: this.opts.log,
        },
        {
          onState: (p) => {
            const parsed = parsePushState(p);
            if (parsed) this.apply({ ...parsed, online: true, problem: null, link: 'push' });
          },
          // (push.ts isolates these handlers: a throw is logged, the socket goes on.)
          onEvent: (type, payload) => this.onEvent(type, payload),
          onReauthRequired: () => void this.reauth(),
          onClose: (reason) => this.onPushClosed(reason),
        },
      );
      await client.connect();
      if (this.stopped) {
        client.close();
        return;
      }
      this.push = client;
      this.pushBackoff.reset();
      this.opts.log.debug(() => `${this.opts.name}: push channel open`);
      this.update({ link: 'push' });
    } catch (err) {
      const delay = this.pushBackoff.next();
      this.opts.log.debug(() => `${this.opts.name}: push unavailable, polling; retry in ${delay} ms`, err);
      this.retryChannel(delay, () => (this.status.online ? this.startPush() : undefined));
    } finally {
      this.pushConnecting = false;
    }
  }

  /** POST /api/login {passive: true} with the API key → `user:session` for the socket. */
  private async passiveLogin(): Promise<string> {
    const r = await request(joinUrl(this.opts.url, 'api/login'), {
      body: { passive: true },
      apiKey: this.opts.apiKey,
      timeoutMs: this.opts.timeoutMs,
      signal: this.abort.signal,
    });
    // The answer also holds the API key: only `name` and `session` are kept, nothing is logged.
    const o = r.ok ? asObject(r.data) : undefined;
    if (!r.ok || typeof o?.name !== 'string' || typeof o.session !== 'string') {
      throw new Error(r.ok ? 'passive login gave no session' : `passive login: ${r.message}`);
    }
    return `${o.name}:${o.session}`;
  }

  private async reauth(): Promise<void> {
    try {
      const auth = await this.passiveLogin();
      this.push?.sendAuth(auth);
    } catch (err) {
      this.opts.log.debug(() => `${this.opts.name}: re-authentication failed, reconnecting`, err);
      this.push?.close();
      this.onPushClosed('re-authentication failed');
    }
  }

  private onEvent(type: string, payload: unknown): void {
    // A state change is announced at once; the next `current` (≤ 0.5 s later) confirms it.
    // Except a job's start: the event has no job, and applied alone it would start the job
    // with the previous one's file (the `started` event named it). The `current` that follows
    // carries the state and the new job together.
    if (type === 'PrinterStateChanged') {
      const state = stateFromText(asObject(payload)?.state_string);
      if (state === 'unknown' || startsJob(this.status.state, state)) return;
      this.apply({ state });
    }
  }

  private onPushClosed(reason: string): void {
    if (this.stopped) return;
    this.push = undefined;
    this.opts.log.info(() => `${this.opts.name}: push channel lost (${reason}), polling meanwhile`);
    this.update({ link: 'poll' });
    this.retryChannel(this.pushBackoff.next(), () => (this.status.online ? this.startPush() : undefined));
    this.later(0, async () => {
      await this.poll();
    });
  }

  async command(cmd: CommandName): Promise<CommandResult> {
    const body = cmd === 'cancel' ? { command: 'cancel' } : { command: 'pause', action: cmd };
    const r = await request(joinUrl(this.opts.url, 'api/job'), {
      body,
      apiKey: this.opts.apiKey,
      timeoutMs: this.opts.timeoutMs,
      expect: 'none',
    });
    if (r.ok) {
      if (!this.push) this.later(300, () => this.poll().then(() => undefined));
      return { ok: true, outcome: 'done', message: `${cmd} sent` };
    }
    if (r.kind === 'conflict')
      return {
        ok: false,
        outcome: 'not_operational',
        message: `${cmd}: printer not operational or no job (409)`,
      };
    return { ok: false, outcome: 'failed', message: `${cmd}: ${r.message}` };
  }
}
