/**
 * The broker of `monitor demo`, chosen so that Home Assistant reaches it with its defaults.
 *
 * HA's MQTT config flow asks for MQTT 5 by default (and HA announces that it will require it).
 * aedes, the embeddable Node broker (`startLocalBroker`), speaks 3.1 and 3.1.1 only: its
 * connect handler refuses protocol 5 (moscajs/aedes#194 is still open; 1.2.0 is current). No
 * maintained embeddable broker on npm speaks MQTT 5, so the demo runs the machine's Mosquitto
 * when one is installed (it speaks 5, 3.1.1 and 3.1), with a config of its own in the demo's
 * data directory, and falls back to aedes otherwise, saying so in the banner (choose 3.1.1 in
 * HA's advanced options, or install mosquitto).
 *
 * The port is stable, so that an HA set up once still reaches the demo at its next start:
 * 1883 when free, otherwise the first free of the fixed fallbacks (1884, 18830); `--port N`
 * asks for exactly N.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { startLocalBroker } from './broker.js';

/** 1883 is MQTT's port; the fallbacks are fixed so that they are worth writing down. */
export const DEMO_PORTS = [1883, 1884, 18830];

export interface DemoBroker {
  /** What Monitor itself connects to. */
  url: string;
  /** The address it listens on (127.0.0.1, or 0.0.0.0 for the LAN). */
  host: string;
  port: number;
  kind: 'mosquitto' | 'aedes';
  /** MQTT protocol levels it accepts: 5 = MQTT 5, 4 = 3.1.1. */
  protocols: Array<4 | 5>;
  close(): Promise<void>;
}

export interface DemoBrokerOptions {
  /** Where Mosquitto's config goes (the demo's temporary data directory). */
  dir: string;
  /** 0 or absent: the first free of `ports`. */
  port?: number;
  ports?: number[];
  host?: string;
  /** Force one broker ('aedes' also when Mosquitto is installed). */
  kind?: 'mosquitto' | 'aedes';
  env?: NodeJS.ProcessEnv;
}

export async function startDemoBroker(o: DemoBrokerOptions): Promise<DemoBroker> {
  const host = o.host ?? '127.0.0.1';
  const candidates = o.port ? [o.port] : (o.ports ?? DEMO_PORTS);
  const mosquitto = o.kind === 'aedes' ? undefined : findMosquitto(o.env ?? process.env);
  if (o.kind === 'mosquitto' && !mosquitto) throw new Error('mosquitto is not installed');
  const tried: string[] = [];
  for (const port of candidates) {
    if (!(await portFree(port, host))) {
      tried.push(`${port} (in use)`);
      continue;
    }
    try {
      if (mosquitto) return await startMosquitto(mosquitto, port, host, o.dir);
      const b = await startLocalBroker(port, host);
      return {
        url: localUrl(host, b.port),
        host,
        port: b.port,
        kind: 'aedes',
        protocols: [4],
        close: b.close,
      };
    } catch (err) {
      tried.push(`${port} (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  throw new Error(`no port for the demo broker on ${host}: ${tried.join(', ')}; give one with --port`);
}

/** Monitor itself connects over loopback, whatever address the broker listens on. */
function localUrl(host: string, port: number): string {
  return `mqtt://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
}

/** The mosquitto executable on PATH or in the usual sbin folders (not on a user's PATH on Debian). */
export function findMosquitto(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/sbin'];
  return dirs.map((d) => join(d, 'mosquitto')).find((p) => p.startsWith('/') && existsSync(p));
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function startMosquitto(bin: string, port: number, host: string, dir: string): Promise<DemoBroker> {
  const conf = join(dir, 'mosquitto.conf');
  // Anonymous, as the demo is a trial; no persistence: nothing of it outlives the demo.
  writeFileSync(
    conf,
    `listener ${port} ${host}\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type error\nlog_type warning\n`,
    { mode: 0o600 },
  );
  const proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr?.on('data', (d) => {
    log += d.toString();
  });
  // The broker must not outlive the demo, even when the demo exits without stopping it.
  const kill = () => proc.kill('SIGTERM');
  process.once('exit', kill);
  const deadline = Date.now() + 5000;
  while (!(await accepts(port, host))) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`mosquitto exited: ${log.trim().split('\n').at(-1) ?? ''}`);
    if (Date.now() > deadline) {
      kill();
      throw new Error('mosquitto did not start within 5 s');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: localUrl(host, port),
    host,
    port,
    kind: 'mosquitto',
    protocols: [5, 4],
    close: () => stopChild(proc, kill),
  };
}

function accepts(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, host === '0.0.0.0' ? '127.0.0.1' : host);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function stopChild(proc: ChildProcess, kill: () => void): Promise<void> {
  process.removeListener('exit', kill);
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => proc.kill('SIGKILL'), 3000);
    proc.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}
