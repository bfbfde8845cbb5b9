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

export class Mosquitto {
  private proc: ChildProcess | undefined;
  private readonly dir: string;
  port = 0;

  constructor(private readonly extraConfig = '') {
    this.dir = mkdtempSync(join(tmpdir(), 'mosq-'));
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const conf = join(this.dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      `listener ${this.port} 127.0.0.1\nallow_anonymous true\npersistence false\n${this.extraConfig}\n`,
    );
    const proc = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    let err = '';
    proc.stderr?.on('data', (d) => {
      err += d.toString();
    });
    // Ready when a client can connect.
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited: ${err}`);
      try {
        const c = await connectClient(this.url, 500);
        await c.endAsync();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`mosquitto did not start on ${this.port}: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
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
      const w = { pred, resolve: (m: Recorder['messages'][number]) => (clearTimeout(t), resolve(m)) };
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
