/**
 * One Moonraker (Klipper) printer. REST (`/server/info`, `/printer/objects/list`,
 * `/printer/objects/query`, `/server/webcams/list`) for the first status and as the fallback;
 * the websocket subscription (`printer.objects.subscribe`, then `notify_status_update` diffs)
 * for live updates. Pause/resume/cancel: POST /printer/print/{pause,resume,cancel}.
 */
import { Backoff } from '../../../core/backoff.js';
import { VERSION } from '../../../version.js';
import { joinUrl, request } from '../http.js';
import { type CommandName, type PrinterStatus, str } from '../model.js';
import { AUTH_HINT, BaseSource, type CommandResult, type SourceOptions } from '../source.js';
import {
  klippyState,
  mergeObjects,
  type Objects,
  objectsToWatch,
  resultOf,
  snapshotFromWebcams,
  statusFromObjects,
  thumbnailFromMetadata,
} from './parse.js';
import { MoonrakerRpc, websocketUrl } from './rpc.js';

const WEBCAM_REFRESH_MS = 10 * 60_000;
const NO_HEATERS = { tools: {}, bed: null, chamber: null };

export class MoonrakerSource extends BaseSource {
  readonly type = 'moonraker' as const;
  readonly supportsCommands = true;
  private rpc: MoonrakerRpc | undefined;
  private connecting = false;
  private readonly backoff = new Backoff({ initialMs: 1000, maxMs: 30_000 });
  private objects: Objects = {};
  private watch: Record<string, null> | undefined;
  private webcamAt = 0;
  private cameraUrl: string | null = null;
  private thumbFor: string | null = null;
  private thumbUrl: string | null = null;

  constructor(
    opts: SourceOptions,
    private readonly pingMs = 20_000,
  ) {
    super(opts);
  }

  start(): void {
    this.repeat(() => this.tick());
  }

  override async stop(): Promise<void> {
    this.rpc?.close();
    this.rpc = undefined;
    await super.stop();
  }

  /** Polls while the websocket is down (it opens the socket unless a retry is armed). */
  private async tick(): Promise<void> {
    if (!this.rpc) {
      const ok = await this.poll();
      if (ok && this.opts.push && !this.connecting && !this.channelRetryArmed) void this.connect();
    }
  }

  /** One REST round. False when the host is unreachable or refuses us. */
  private async poll(): Promise<boolean> {
    const info = await this.get('server/info');
    if (this.stopped) return false;
    if (!info.ok) {
      this.markProblem(info, info.kind === 'auth' ? AUTH_HINT : '');
      return false;
    }
    const server = resultOf(info.data) as Record<string, unknown> | undefined;
    if (!server || typeof server !== 'object') {
      this.markProblem({ ok: false, kind: 'parse', message: 'server/info: unexpected answer' });
      return false;
    }
    const software = str(server.moonraker_version) ? `Moonraker ${server.moonraker_version}` : 'Moonraker';
    await this.refreshWebcams();
    const klippy = klippyState(server.klippy_state);
    if (klippy) {
      this.watch = undefined;
      this.apply({ ...NO_HEATERS, state: klippy, online: true, software, problem: null, link: 'poll' });
      return true;
    }
    if (!this.watch) {
      const list = await this.get('printer/objects/list');
      const names = list.ok ? (resultOf(list.data) as { objects?: unknown })?.objects : undefined;
      this.watch = objectsToWatch(Array.isArray(names) ? names.filter((n) => typeof n === 'string') : []);
    }
    const query = await request(joinUrl(this.opts.url, 'printer/objects/query'), {
      body: { objects: this.watch },
      apiKey: this.opts.apiKey,
      timeoutMs: this.opts.timeoutMs,
      signal: this.abort.signal,
    });
    const status = query.ok ? (resultOf(query.data) as { status?: unknown })?.status : undefined;
    if (!status || typeof status !== 'object') {
      this.update({
        online: true,
        software,
        problem: query.ok ? 'objects/query: unexpected answer' : query.message,
      });
      return !query.ok && query.kind !== 'timeout' && query.kind !== 'network';
    }
    this.objects = mergeObjects({}, status);
    this.apply({ ...statusFromObjects(this.objects), online: true, software, problem: null, link: 'poll' });
    return true;
  }

  private async refreshWebcams(): Promise<void> {
    if (Date.now() - this.webcamAt < WEBCAM_REFRESH_MS) return;
    const r = await this.get('server/webcams/list');
    this.webcamAt = Date.now();
    this.cameraUrl = r.ok ? snapshotFromWebcams(resultOf(r.data), this.opts.url) : null;
  }

  private apply(partial: Partial<PrinterStatus>): void {
    this.update({ ...partial, snapshot_url: this.opts.snapshotUrl || this.cameraUrl || this.thumbUrl });
    void this.maybeThumbnail(partial.file);
  }

  /** Without a webcam, the sliced file's largest thumbnail stands in for the snapshot. */
  private async maybeThumbnail(file: string | null | undefined): Promise<void> {
    if (this.opts.snapshotUrl || this.cameraUrl || !file || file === this.thumbFor) return;
    this.thumbFor = file;
    const r = await this.get(`server/files/metadata?filename=${encodeURIComponent(file)}`);
    this.thumbUrl = r.ok ? thumbnailFromMetadata(resultOf(r.data), file, this.opts.url) : null;
    if (this.thumbUrl) this.update({ snapshot_url: this.thumbUrl });
  }

  private async connect(): Promise<void> {
    if (this.rpc || this.connecting || this.stopped) return;
    this.connecting = true;
    const rpc = new MoonrakerRpc(
      websocketUrl(this.opts.url),
      this.opts.apiKey,
      this.opts.timeoutMs,
      this.pingMs,
      {
        onNotification: (method, params) => this.onNotification(method, params),
        onClose: (reason) => this.onClosed(reason),
        onError: (err) =>
          this.opts.log.error(() => `${this.opts.name}: a websocket message could not be handled`, err),
      },
    );
    try {
      await rpc.open();
      await rpc.call('server.connection.identify', {
        client_name: 'Monitor',
        version: VERSION,
        type: 'other',
        url: 'https://github.com/monitor-ha/monitor',
        ...(this.opts.apiKey ? { api_key: this.opts.apiKey } : {}),
      });
      if (this.stopped) return rpc.close();
      this.rpc = rpc;
      await this.subscribe();
      this.backoff.reset();
    } catch (err) {
      rpc.close();
      if (this.rpc === rpc) this.rpc = undefined;
      const delay = this.backoff.next();
      this.opts.log.debug(
        () => `${this.opts.name}: websocket unavailable, polling; retry in ${delay} ms`,
        err,
      );
      this.retryChannel(delay, () => (this.status.online ? this.connect() : undefined));
    } finally {
      this.connecting = false;
    }
  }

  /** (Re)subscribes; the answer is the full status of the subscribed objects. */
  private async subscribe(): Promise<void> {
    const rpc = this.rpc;
    if (!rpc) return;
    const list = (await rpc.call('printer.objects.list').catch(() => undefined)) as
      | { objects?: unknown }
      | undefined;
    const names = Array.isArray(list?.objects) ? list.objects.filter((n) => typeof n === 'string') : [];
    this.watch = objectsToWatch(names);
    const res = (await rpc.call('printer.objects.subscribe', { objects: this.watch })) as {
      status?: unknown;
    };
    this.objects = mergeObjects({}, res?.status);
    this.apply({ ...statusFromObjects(this.objects), online: true, problem: null, link: 'push' });
  }

  private onNotification(method: string, params: unknown[]): void {
    if (method === 'notify_status_update') {
      this.objects = mergeObjects(this.objects, params[0]);
      this.apply({ ...statusFromObjects(this.objects), online: true, problem: null, link: 'push' });
    } else if (method === 'notify_klippy_ready') {
      this.subscribe().catch((err) =>
        this.opts.log.debug(() => `${this.opts.name}: resubscribe failed`, err),
      );
    } else if (method === 'notify_klippy_shutdown') {
      this.apply({ state: 'error', error_message: 'Klipper shutdown' });
    } else if (method === 'notify_klippy_disconnected') {
      this.objects = {};
      this.apply({ ...NO_HEATERS, state: 'disconnected' });
    }
  }

  private onClosed(reason: string): void {
    if (this.stopped) return;
    this.rpc = undefined;
    this.opts.log.info(() => `${this.opts.name}: websocket lost (${reason}), polling meanwhile`);
    this.update({ link: 'poll' });
    this.retryChannel(this.backoff.next(), () => (this.status.online ? this.connect() : undefined));
    this.later(0, async () => {
      await this.poll();
    });
  }

  async command(cmd: CommandName): Promise<CommandResult> {
    const r = await request(joinUrl(this.opts.url, `printer/print/${cmd}`), {
      method: 'POST',
      apiKey: this.opts.apiKey,
      timeoutMs: this.opts.timeoutMs,
    });
    if (r.ok) {
      if (!this.rpc) this.later(300, () => this.poll().then(() => undefined));
      return { ok: true, outcome: 'done', message: `${cmd} sent` };
    }
    // Klipper refuses with 400 when there is nothing to pause/resume/cancel, 503 when not ready.
    if (r.kind === 'conflict' || r.status === 400 || r.status === 503)
      return { ok: false, outcome: 'not_operational', message: `${cmd}: ${r.message}` };
    return { ok: false, outcome: 'failed', message: `${cmd}: ${r.message}` };
  }
}
