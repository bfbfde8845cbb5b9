/**
 * A fake Moonraker serving a `VirtualPrinter`, replaying the documented payloads
 * (Moonraker docs/external_api/printer.md, server.md, webcams.md, file_manager.md,
 * jsonrpc_notifications.md and docs/printer_objects.md): HTTP answers wrapped in
 * `{"result": …}`, JSON-RPC over `/websocket`, `notify_status_update` carrying only the fields
 * that changed, every 250 ms at most (Moonraker's subscription rate).
 */
import type { WebSocket } from 'ws';
import { FakeHttpServer, json, type Reply } from './http-server.js';
import type { SimState, VirtualPrinter } from './virtual-printer.js';

const PRINT_STATE: Record<SimState, string> = {
  disconnected: 'standby',
  idle: 'standby',
  printing: 'printing',
  pausing: 'printing',
  paused: 'paused',
  cancelling: 'printing',
  error: 'error',
};

type Objects = Record<string, Record<string, unknown>>;

export interface FakeMoonrakerOptions {
  /** When set, requests without this X-Api-Key get 401. */
  apiKey?: string;
  /** Answer the webcams list with this snapshot URL (relative to Moonraker's host). */
  snapshotUrl?: string;
}

export class FakeMoonraker {
  readonly http: FakeHttpServer;
  private readonly subscribers = new Map<WebSocket, { sent: Objects; timer?: NodeJS.Timeout }>();
  private readonly off: () => void;
  private finished = false;
  /** Changes the objects as reported (REST and subscription): a printer sending odd fields. */
  tamper: ((o: Objects) => void) | undefined;

  constructor(
    readonly printer: VirtualPrinter,
    private readonly opts: FakeMoonrakerOptions = {},
  ) {
    this.http = new FakeHttpServer(
      (req, url, body) => this.route(req.method ?? 'GET', url, body, String(req.headers['x-api-key'] ?? '')),
      '/websocket',
      (ws, req) => this.onSocket(ws, String(req.headers['x-api-key'] ?? '')),
    );
    this.off = printer.on((kind) => {
      if (kind === 'state' && printer.state === 'disconnected') this.broadcast('notify_klippy_disconnected');
      else this.notify();
    });
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
    for (const s of this.subscribers.values()) if (s.timer) clearTimeout(s.timer);
    await this.http.close();
  }

  /** The printer objects as Klipper reports them now. */
  objects(): Objects {
    const p = this.printer;
    const state = p.state === 'idle' && p.job && this.finished ? 'complete' : PRINT_STATE[p.state];
    const o: Objects = {
      webhooks: {
        state: p.state === 'error' ? 'shutdown' : 'ready',
        state_message: p.state === 'error' ? p.errorText : 'Printer is ready',
      },
      print_stats: {
        filename: p.job?.file ?? '',
        total_duration: p.elapsed,
        print_duration: p.elapsed,
        filament_used: p.elapsed * 12.5,
        state,
        message: '',
        info: { total_layer: p.job?.layers ?? null, current_layer: p.job ? p.layer : null },
      },
      virtual_sdcard: {
        file_path: p.job ? `/home/pi/printer_data/gcodes/${p.job.file}` : null,
        progress: p.progress / 100,
        is_active: p.state === 'printing',
        file_position: Math.round(p.progress * 100),
        file_size: 10000,
      },
      display_status: { message: '', progress: p.progress / 100 },
      heater_bed: { temperature: p.bed.actual, target: p.bed.target, power: 0 },
    };
    p.tools.forEach((t, i) => {
      o[i === 0 ? 'extruder' : `extruder${i}`] = { temperature: t.actual, target: t.target, power: 0 };
    });
    if (p.chamber) o['temperature_sensor chamber'] = { temperature: p.chamber.actual };
    this.tamper?.(o);
    return o;
  }

  private route(method: string, url: URL, body: string, key: string): Reply {
    if (this.opts.apiKey && key !== this.opts.apiKey)
      return json({ error: { code: 401, message: 'Unauthorized' } }, 401);
    const p = this.printer;
    switch (`${method} ${url.pathname}`) {
      case 'GET /server/info':
        return json({
          result: {
            klippy_connected: p.state !== 'disconnected',
            klippy_state:
              p.state === 'disconnected' ? 'disconnected' : p.state === 'error' ? 'shutdown' : 'ready',
            components: ['webcam', 'file_manager'],
            failed_components: [],
            warnings: [],
            moonraker_version: 'v0.9.3-simulated',
            api_version: [1, 5, 0],
            api_version_string: '1.5.0',
          },
        });
      case 'GET /printer/objects/list':
        return json({
          result: { objects: Object.keys(this.objects()).concat(['gcode_move', 'toolhead', 'fan']) },
        });
      case 'POST /printer/objects/query':
      case 'GET /printer/objects/query': {
        let wanted: string[] = [...url.searchParams.keys()];
        if (method === 'POST') {
          try {
            wanted = Object.keys((JSON.parse(body) as { objects: Record<string, unknown> }).objects ?? {});
          } catch {
            return json({ error: { code: 400, message: 'Invalid JSON' } }, 400);
          }
        }
        return json({ result: { eventtime: process.uptime(), status: pick(this.objects(), wanted) } });
      }
      case 'GET /server/webcams/list':
        return json({
          result: {
            webcams: this.opts.snapshotUrl
              ? [
                  {
                    name: 'cam',
                    enabled: true,
                    service: 'mjpegstreamer',
                    snapshot_url: this.opts.snapshotUrl,
                  },
                ]
              : [],
          },
        });
      case 'GET /server/files/metadata':
        return json({
          result: {
            filename: url.searchParams.get('filename'),
            estimated_time: p.job?.duration ?? null,
            thumbnails: [
              { width: 32, height: 32, size: 2000, relative_path: '.thumbs/cube-32x32.png' },
              { width: 300, height: 300, size: 20000, relative_path: '.thumbs/cube-300x300.png' },
            ],
          },
        });
      case 'POST /printer/print/pause':
        return this.command(p.pause());
      case 'POST /printer/print/resume':
        return this.command(p.resume());
      case 'POST /printer/print/cancel':
        return this.command(p.cancel());
    }
    return json({ error: { code: 404, message: 'Not Found' } }, 404);
  }

  private command(ok: boolean): Reply {
    return ok
      ? json({ result: 'ok' })
      : json({ error: { code: 400, message: 'Print not in progress' } }, 400);
  }

  private onSocket(ws: WebSocket, key: string): void {
    ws.on('message', (data) => {
      let msg: { id?: number; method?: string; params?: Record<string, unknown> };
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      const reply = (result: unknown) => ws.send(JSON.stringify({ jsonrpc: '2.0', result, id: msg.id }));
      const fail = (code: number, message: string) =>
        ws.send(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: msg.id }));
      if (this.opts.apiKey && key !== this.opts.apiKey && msg.params?.api_key !== this.opts.apiKey)
        return fail(401, 'Unauthorized');
      switch (msg.method) {
        case 'server.connection.identify':
          return reply({ connection_id: 1730 });
        case 'printer.objects.list':
          return reply({ objects: Object.keys(this.objects()) });
        case 'printer.objects.subscribe': {
          const wanted = Object.keys((msg.params?.objects as Record<string, unknown>) ?? {});
          const status = pick(this.objects(), wanted);
          this.subscribers.set(ws, { sent: structuredClone(status) });
          ws.on('close', () => this.subscribers.delete(ws));
          return reply({ eventtime: process.uptime(), status });
        }
      }
      return fail(-32601, 'Method not found');
    });
  }

  /** Sends a raw text frame to every subscriber (a malformed notification). */
  inject(text: string): void {
    for (const ws of this.subscribers.keys()) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  private broadcast(method: string): void {
    for (const ws of this.subscribers.keys())
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ jsonrpc: '2.0', method }));
  }

  /** Sends each subscriber the fields that changed since its last update (≤ every 250 ms). */
  private notify(): void {
    if (this.printer.state === 'printing') this.finished = false;
    if (this.printer.job && this.printer.progress >= 100) this.finished = true;
    for (const [ws, sub] of this.subscribers) {
      if (sub.timer) continue;
      sub.timer = setTimeout(() => {
        sub.timer = undefined;
        const now = pick(this.objects(), Object.keys(sub.sent));
        const diff = diffObjects(sub.sent, now);
        sub.sent = structuredClone(now);
        if (Object.keys(diff).length && ws.readyState === ws.OPEN)
          ws.send(
            JSON.stringify({
              jsonrpc: '2.0',
              method: 'notify_status_update',
              params: [diff, process.uptime()],
            }),
          );
      }, 250);
    }
  }
}

function pick(objs: Objects, names: string[]): Objects {
  const out: Objects = {};
  for (const n of names) if (objs[n]) out[n] = objs[n];
  return out;
}

function diffObjects(before: Objects, after: Objects): Objects {
  const out: Objects = {};
  for (const [name, fields] of Object.entries(after)) {
    for (const [k, v] of Object.entries(fields)) {
      if (JSON.stringify(before[name]?.[k]) === JSON.stringify(v)) continue;
      const changed = out[name] ?? {};
      changed[k] = v;
      out[name] = changed;
    }
  }
  return out;
}
