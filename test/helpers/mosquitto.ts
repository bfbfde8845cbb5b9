/**
 * A real Mosquitto broker per test, on a free port of 127.0.0.1 (../shared/RECIPES.md).
 * `restart()` stops and starts it on the same port (no persistence: retained messages are lost,
 * as after a broker restart without a persistence file).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { stopProcess } from './process.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface MosquittoOptions {
  /** Lines appended to the generated configuration. */
  extraConfig?: string;
  /** `false`: no `allow_anonymous true` (give a password_file in extraConfig). */
  anonymous?: boolean;
  /** Replaces the plain listener line (e.g. a TLS listener block); `{port}` is replaced. */
  listener?: string;
}

export class Mosquitto {
  private proc: ChildProcess | undefined;
  /** A directory of this broker's own, removed by dispose() (put password files, certs here). */
  readonly dir: string;
  port = 0;
  /** Everything the broker logged (connections, refusals, protocol versions…), across restarts. */
  log = '';
  private readonly opts: MosquittoOptions;

  constructor(extraConfig: string | MosquittoOptions = '') {
    this.dir = mkdtempSync(join(tmpdir(), 'mosq-'));
    this.opts = typeof extraConfig === 'string' ? { extraConfig } : extraConfig;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** "New client connected … as <id> (p5, c1, k30, u'user')" lines, in order. */
  clientConnections(): Array<{ clientId: string; protocol: number; user?: string }> {
    const out: Array<{ clientId: string; protocol: number; user?: string }> = [];
    for (const m of this.log.matchAll(
      /New client connected from \S+ as (\S+) \(p(\d)[^)]*?(?:u'([^']*)')?\)/g,
    )) {
      out.push({ clientId: m[1] as string, protocol: Number(m[2]), ...(m[3] ? { user: m[3] } : {}) });
    }
    return out;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const conf = join(this.dir, 'mosquitto.conf');
    const listener = (this.opts.listener ?? 'listener {port} 127.0.0.1').replaceAll(
      '{port}',
      String(this.port),
    );
    const anonymous = this.opts.anonymous === false ? '' : 'allow_anonymous true\n';
    writeFileSync(
      conf,
      `${listener}\n${anonymous}persistence false\nlog_dest stderr\nlog_type all\nconnection_messages true\n${this.opts.extraConfig ?? ''}\n`,
    );
    const proc = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    let err = '';
    proc.stderr?.on('data', (d) => {
      err += d.toString();
      this.log += d.toString();
    });
    // Ready when a client can connect.
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited: ${err}`);
      try {
        if (this.opts.listener || this.opts.anonymous === false) {
          // Anonymous MQTT may be refused: wait for the broker's own "running" line instead.
          if (!/mosquitto version \S+ running/.test(err)) throw new Error('not yet');
          return;
        }
        const c = await connectClient(this.url, 500);
        await c.endAsync();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`mosquitto did not start on ${this.port}: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** SIGTERM (a frozen broker is thawed first); SIGKILL is a crash, its sockets closed by the kernel. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (signal !== 'SIGKILL') this.thaw();
    const p = this.proc;
    this.proc = undefined;
    await stopProcess(p, signal);
  }

  /** SIGSTOP: the broker keeps its sockets open but answers nothing (a half-open connection). */
  freeze(): void {
    this.proc?.kill('SIGSTOP');
  }

  /** SIGCONT after freeze(). */
  thaw(): void {
    this.proc?.kill('SIGCONT');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function connectClient(url: string, timeoutMs = 5000): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, {
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      clientId: `t_${Math.random().toString(16).slice(2)}`,
    });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
    c.once('close', () => reject(new Error('closed')));
  });
}

/** Records every message on the given filters; `waitFor` resolves when a predicate matches. */
export class Recorder {
  readonly messages: Array<{ topic: string; payload: string; retain: boolean; at: number }> = [];
  private waiters: Array<{
    pred: (m: Recorder['messages'][number]) => boolean;
    resolve: (m: Recorder['messages'][number]) => void;
  }> = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const m = { topic, payload: payload.toString(), retain: packet.retain, at: Date.now() };
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  static async open(url: string, filters: string[] = ['#']): Promise<Recorder> {
    const c = await connectClient(url);
    const r = new Recorder(c);
    await c.subscribeAsync(filters);
    return r;
  }

  find(pred: (m: Recorder['messages'][number]) => boolean): Recorder['messages'][number] | undefined {
    return this.messages.find(pred);
  }

  waitFor(
    pred: (m: Recorder['messages'][number]) => boolean,
    timeoutMs = 5000,
  ): Promise<Recorder['messages'][number]> {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (m: Recorder['messages'][number]) => {
          clearTimeout(t);
          resolve(m);
        },
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  topic(t: string, timeoutMs?: number) {
    return this.waitFor((m) => m.topic === t, timeoutMs);
  }

  clear(): void {
    this.messages.length = 0;
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
