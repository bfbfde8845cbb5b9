/**
 * A fake OctoPrint serving a `VirtualPrinter`: the REST endpoints Monitor uses and the raw
 * push websocket, with the payload shapes of OctoPrint 1.11.8 (recorded from a real instance
 * with its virtual printer: test/printers/fixtures/octoprint-1.11.8-push-transcript.jsonl).
 * Like the real one, it pushes `current` at most every 500 ms and `PrinterStateChanged`
 * events at once, answers 409 on /api/printer when the printer is not connected, 403 on a
 * wrong API key, and sends nothing on the socket before a valid `auth` message.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { FakeHttpServer, json, type Reply } from './http-server.js';
import { gradientPng } from './png.js';
import type { SimState, VirtualPrinter } from './virtual-printer.js';

const TEXT: Record<SimState, string> = {
  disconnected: 'Offline',
  idle: 'Operational',
  printing: 'Printing',
  pausing: 'Pausing',
  paused: 'Paused',
  cancelling: 'Cancelling',
  error: 'Offline after error',
};

const STATE_ID: Record<SimState, string> = {
  disconnected: 'OFFLINE',
  idle: 'OPERATIONAL',
  printing: 'PRINTING',
  pausing: 'PAUSING',
  paused: 'PAUSED',
  cancelling: 'CANCELLING',
  error: 'CLOSED_WITH_ERROR',
};

export function octoFlags(s: SimState): Record<string, boolean> {
  const connected = s !== 'disconnected' && s !== 'error';
  return {
    operational: connected,
    printing: s === 'printing' || s === 'pausing',
    cancelling: s === 'cancelling',
    pausing: s === 'pausing',
    resuming: false,
    finishing: false,
    closedOrError: !connected,
    error: s === 'error',
    paused: s === 'paused',
    ready: s === 'idle',
    sdReady: connected,
  };
}

export interface FakeOctoPrintOptions {
  apiKey: string;
  /** Webcam snapshot URL as OctoPrint stores it (default: served by this fake, relative). */
  snapshotUrl?: string;
}

export class FakeOctoPrint {
  readonly http: FakeHttpServer;
  private readonly sessions = new Set<string>();
  private readonly clients = new Map<
    WebSocket,
    { authed: boolean; lastCurrent: number; timer?: NodeJS.Timeout }
  >();
  private readonly off: () => void;

  constructor(
    readonly printer: VirtualPrinter,
    private readonly opts: FakeOctoPrintOptions,
  ) {
    this.http = new FakeHttpServer(
      (req, url, body) => this.route(req.method ?? 'GET', url, body, String(req.headers['x-api-key'] ?? '')),
      '/sockjs/websocket',
      (ws) => this.onSocket(ws),
    );
    this.off = printer.on((kind) => this.onChange(kind));
  }

  get url(): string {
    return this.http.url;
  }

  async listen(port = 0): Promise<this> {
    await this.http.listen(port);
    return this;
  }

  async close(): Promise<void> {
    this.off();
    for (const c of this.clients.values()) if (c.timer) clearTimeout(c.timer);
    await this.http.close();
  }

  private jobPayload(): Record<string, unknown> {
    const p = this.printer;
    const file = p.job?.file ?? null;
    return {
      job: {
        file: {
          name: file,
          path: file,
          display: file,
          origin: file ? 'local' : null,
          size: file ? 1062 : null,
          date: null,
        },
        estimatedPrintTime: p.job?.duration ?? null,
        lastPrintTime: null,
        filament: { tool0: { length: 40, volume: 0 } },
        user: file ? 'admin' : null,
      },
      progress: {
        completion: p.job ? p.progress : null,
        filepos: p.job ? Math.round(p.progress * 10.62) : null,
        printTime: p.job ? Math.floor(p.elapsed) : null,
        printTimeLeft: p.job ? Math.ceil(p.remaining) : null,
        printTimeLeftOrigin: p.job ? 'linear' : null,
      },
    };
  }

  private temperatures(): Record<string, { actual: number | null; target: number | null; offset?: number }> {
    const p = this.printer;
    const out: Record<string, { actual: number | null; target: number | null; offset?: number }> = {};
    p.tools.forEach((t, i) => {
      out[`tool${i}`] = { actual: t.actual, target: t.target, offset: 0 };
    });
    out.bed = { actual: p.bed.actual, target: p.bed.target, offset: 0 };
    if (p.chamber) out.chamber = { actual: p.chamber.actual, target: p.chamber.target, offset: 0 };
    return out;
  }

  private stateObject(): Record<string, unknown> {
    const s = this.printer.state;
    return { text: TEXT[s], flags: octoFlags(s), error: s === 'error' ? this.printer.errorText : '' };
  }

  private route(method: string, url: URL, body: string, key: string): Reply {
    const path = url.pathname;
    if (path === '/webcam/' || path === '/webcam') {
      return {
        status: 200,
        raw: { type: 'image/png', data: gradientPng(64, 48, this.printer.progress / 100) },
      };
    }
    if (!path.startsWith('/api/')) return json({ error: 'Not found' }, 404);
    if (key !== this.opts.apiKey) return json({ error: 'Forbidden' }, 403);
    const p = this.printer;
    const connected = p.state !== 'disconnected' && p.state !== 'error';
    switch (`${method} ${path}`) {
      case 'GET /api/version':
        return json({ api: '0.1', server: '1.11.8', text: 'OctoPrint 1.11.8 (simulated)' });
      case 'GET /api/job':
        return json({ ...this.jobPayload(), state: TEXT[p.state] });
      case 'GET /api/printer':
        if (!connected) return json({ error: 'Printer is not operational' }, 409);
        return json({ sd: { ready: true }, state: this.stateObject(), temperature: this.temperatures() });
      case 'GET /api/connection':
        return json({
          current: { state: connected ? TEXT[p.state] : 'Closed', port: connected ? 'VIRTUAL' : null },
        });
      case 'GET /api/settings':
        return json({
          webcam: {
            webcamEnabled: true,
            snapshotUrl: this.opts.snapshotUrl ?? '/webcam/?action=snapshot',
            streamUrl: '/webcam/?action=stream',
            snapshotWebcam: 'classic',
            webcams: [],
          },
        });
      case 'POST /api/login': {
        const session = randomBytes(16).toString('hex');
        this.sessions.add(session);
        // The real answer also echoes the API key: Monitor must never log it.
        return json({ name: 'admin', session, apikey: this.opts.apiKey, active: true, admin: true });
      }
      case 'POST /api/job':
        return this.jobCommand(body);
      case 'POST /api/connection':
        p.connect();
        return { status: 204 };
    }
    return json({ error: 'Not found' }, 404);
  }

  private jobCommand(body: string): Reply {
    let cmd: { command?: string; action?: string };
    try {
      cmd = JSON.parse(body);
    } catch {
      return json({ error: 'Malformed JSON body' }, 400);
    }
    const p = this.printer;
    let ok = false;
    if (cmd.command === 'cancel') ok = p.cancel();
    else if (cmd.command === 'pause' && cmd.action === 'resume') ok = p.resume();
    else if (cmd.command === 'pause' && (cmd.action === 'pause' || cmd.action === undefined)) ok = p.pause();
    else if (cmd.command === 'start') ok = p.job ? p.startPrint(p.job) : false;
    return ok ? { status: 204 } : json({ error: 'Printer is not operational or not printing' }, 409);
  }

  private onSocket(ws: WebSocket): void {
    const client: { authed: boolean; lastCurrent: number; timer?: NodeJS.Timeout } = {
      authed: false,
      lastCurrent: 0,
    };
    this.clients.set(ws, client);
    ws.send(
      JSON.stringify({
        connected: { version: '1.11.8', display_version: '1.11.8', safe_mode: false, online: true },
      }),
    );
    ws.on('message', (data) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (typeof msg.auth === 'string') {
        const session = msg.auth.split(':')[1] ?? '';
        client.authed = this.sessions.has(session);
        if (!client.authed) ws.send(JSON.stringify({ reauthRequired: { reason: 'stale' } }));
      } else if (msg.subscribe && client.authed) {
        ws.send(JSON.stringify({ history: this.currentPayload() }));
        client.lastCurrent = Date.now();
      }
    });
    ws.on('close', () => {
      if (client.timer) clearTimeout(client.timer);
      this.clients.delete(ws);
    });
  }

  private currentPayload(): Record<string, unknown> {
    const temps = this.temperatures();
    const point: Record<string, unknown> = { time: Math.floor(Date.now() / 1000) };
    for (const [k, v] of Object.entries(temps)) point[k] = { actual: v.actual, target: v.target };
    if (!point.chamber) point.chamber = { actual: null, target: null };
    return {
      state: this.stateObject(),
      ...this.jobPayload(),
      currentZ: this.printer.layer * 0.2 || null,
      offsets: {},
      serverTime: Date.now() / 1000,
      temps: this.printer.state === 'disconnected' ? [] : [point],
      logs: [],
      messages: [],
      busyFiles: [],
      markings: [],
    };
  }

  private onChange(kind: 'state' | 'tick'): void {
    for (const [ws, c] of this.clients) {
      if (!c.authed) continue;
      if (kind === 'state') {
        const s = this.printer.state;
        ws.send(
          JSON.stringify({
            event: { type: 'PrinterStateChanged', payload: { state_id: STATE_ID[s], state_string: TEXT[s] } },
          }),
        );
      }
      // Rate limit as OctoPrint does (octoprint/server/util/sockjs.py): at most one per 500 ms.
      if (c.timer) continue;
      const wait = Math.max(0, c.lastCurrent + 500 - Date.now());
      c.timer = setTimeout(() => {
        c.timer = undefined;
        c.lastCurrent = Date.now();
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ current: this.currentPayload() }));
      }, wait);
    }
  }
}
