/**
 * A real Home Assistant core for the end-to-end tests: started from the install made by
 * test/e2e/setup-ha.sh, on a free port, with a fresh configuration directory; onboarded through
 * the HTTP API (owner user → auth code → token), the MQTT integration added through the config
 * flow API against a real Mosquitto, and a websocket client (Monitor's own HaClient) for
 * get_states / entity and device registries / recorder. `dispose()` stops everything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { HaClient } from '../../addon/src/ha/websocket.js';
import { freePort, type Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { type FlowStep, fillFlowForm } from './ha-flow.js';
import { CHROOT_ENV, chrootCommand, findHaInstall, type HaInstall } from './ha-install.js';

const CLIENT_ID = 'http://127.0.0.1/';
const MAX_LOG_LINES = 20_000;

export interface HaState {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
}
export interface HaEntityEntry {
  entity_id: string;
  unique_id: string;
  platform: string;
  device_id: string | null;
  entity_category: string | null;
  original_name: string | null;
  disabled_by: string | null;
}
export interface HaDeviceEntry {
  id: string;
  name: string | null;
  manufacturer: string | null;
  model: string | null;
  sw_version: string | null;
  identifiers: Array<[string, string]>;
  via_device_id: string | null;
}

/** Polls `probe` until it returns a value that is not undefined, or fails naming `what`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export class HomeAssistant {
  readonly install: HaInstall;
  /** The configuration directory, on the host and as HA sees it inside the chroot. */
  readonly configDir: string;
  private readonly configDirInside: string;
  port = 0;
  token = '';
  private proc: ChildProcess | undefined;
  private client: HaClient | undefined;
  private readonly lines: string[] = [];

  /**
   * `extraConfig`: lines appended to the minimal configuration.yaml (e.g. `energy:`); only
   * integrations whose requirements the setup installed can load (HA runs with --skip-pip).
   */
  constructor(private readonly extraConfig: string[] = []) {
    this.install = findHaInstall();
    this.configDir = mkdtempSync(join(this.install.root, 'tmp', 'monitor-e2e-'));
    this.configDirInside = `/tmp/${this.configDir.split('/').pop()}`;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Writes the minimal configuration and starts HA; resolves when it answers HTTP. */
  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    writeFileSync(join(this.configDir, 'configuration.yaml'), this.configuration());
    const { cmd, args } = chrootCommand(this.install, [
      this.install.hass,
      '-c',
      this.configDirInside,
      // Every requirement was installed by the setup: never install packages at run time.
      '--skip-pip',
    ]);
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: CHROOT_ENV });
    this.proc = proc;
    const collect = (d: Buffer) => {
      for (const l of d.toString().split('\n')) if (l) this.lines.push(l);
      if (this.lines.length > MAX_LOG_LINES) this.lines.splice(0, this.lines.length - MAX_LOG_LINES);
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    const exited = () => proc.exitCode !== null || proc.signalCode !== null;
    await until(
      'Home Assistant to answer HTTP',
      async () => {
        if (exited()) throw new Error(`hass exited (${proc.exitCode ?? proc.signalCode}):\n${this.tail(30)}`);
        const headers: Record<string, string> = this.token ? { authorization: `Bearer ${this.token}` } : {};
        // Before onboarding only the onboarding API answers without a token.
        const res = await fetch(`${this.url}${this.token ? '/api/' : '/api/onboarding'}`, { headers });
        return res.status === 200 ? true : undefined;
      },
      90_000,
    );
  }

  private configuration(): string {
    // Minimal on purpose: no default_config. The mqtt integration comes from a config entry.
    return [
      'homeassistant:',
      '  name: Monitor e2e',
      '  unit_system: metric',
      '  time_zone: UTC',
      '  country: FR',
      '  currency: EUR',
      '  latitude: 48.85',
      '  longitude: 2.35',
      '  elevation: 35',
      'http:',
      '  server_host: 127.0.0.1',
      `  server_port: ${this.port}`,
      'api:',
      'websocket_api:',
      'recorder:',
      `  db_url: sqlite:///${this.configDirInside}/home-assistant_v2.db`,
      '  commit_interval: 0',
      'logger:',
      '  default: warning',
      ...this.extraConfig,
      '',
    ].join('\n');
  }

  /** A REST call with the long-lived token; a failure names the call and HA's last problems. */
  async api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok)
      throw new Error(
        `${method} ${path}: HTTP ${res.status} ${text}\n--- HA:\n${this.problems().slice(-10).join('\n')}`,
      );
    return JSON.parse(text) as T;
  }

  private async post<T = Record<string, unknown>>(path: string, body: unknown, form = false): Promise<T> {
    const headers: Record<string, string> = {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers,
      body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /**
   * Onboarding through the HTTP API: the owner user (→ auth code → access token), analytics and
   * integration steps, then a long-lived token. The core_config step is left undone on purpose:
   * it creates config entries (weather, radio, TTS) that need packages and the Internet.
   */
  async onboard(): Promise<void> {
    const user = await this.post('/api/onboarding/users', {
      client_id: CLIENT_ID,
      name: 'Monitor e2e',
      username: 'e2e',
      password: 'e2e-password-not-secret',
      language: 'en',
    });
    const tokens = await this.post(
      '/auth/token',
      { grant_type: 'authorization_code', code: String(user.auth_code), client_id: CLIENT_ID },
      true,
    );
    this.token = String(tokens.access_token);
    await this.post('/api/onboarding/analytics', {});
    await this.post('/api/onboarding/integration', { client_id: CLIENT_ID, redirect_uri: CLIENT_ID });
    await this.waitRunning();
    // Access tokens expire after 30 min; a long-lived one also survives HA restarts.
    this.token = await this.ws().then((c) =>
      c.send<string>({ type: 'auth/long_lived_access_token', client_name: 'monitor-e2e', lifespan: 1 }),
    );
    this.closeClient();
  }

  /** Started, onboarded, its MQTT integration on `broker`: the first steps of every e2e suite. */
  async startWithMqtt(broker: Mosquitto): Promise<void> {
    await this.start();
    await this.onboard();
    await this.addMqtt(broker);
  }

  /** Adds the MQTT integration (config flow API) and waits for HA's birth message on the broker. */
  async addMqtt(broker: Mosquitto): Promise<void> {
    const birth = await Recorder.open(broker.url, ['homeassistant/status']);
    try {
      let step = await this.post<FlowStep>('/api/config/config_entries/flow', { handler: 'mqtt' });
      if (step.type === 'form') {
        const answer = fillFlowForm(step, { broker: '127.0.0.1', port: broker.port });
        step = await this.post<FlowStep>(`/api/config/config_entries/flow/${step.flow_id}`, answer);
      }
      if (step.type !== 'create_entry')
        throw new Error(`MQTT config flow did not finish: ${JSON.stringify(step)}`);
      const entry = (step as { result?: { state?: string } }).result;
      if (entry?.state && entry.state !== 'loaded') throw new Error(`MQTT entry is ${entry.state}`);
      await birth.waitFor((m) => m.payload === 'online', 30_000);
    } finally {
      await birth.close();
    }
  }

  /** Monitor's websocket client, connected with the current token (one per HA run). */
  async ws(): Promise<HaClient> {
    if (this.client?.connected) return this.client;
    this.closeClient();
    const c = new HaClient(
      { url: this.url, token: this.token },
      new LoggerRoot({ level: 'silent' }).logger('ha'),
    );
    await c.connect();
    this.client = c;
    return c;
  }

  private closeClient(): void {
    this.client?.close();
    this.client = undefined;
  }

  /** Waits until HA reports it has finished starting (core state RUNNING). */
  async waitRunning(timeoutMs = 90_000): Promise<void> {
    await until(
      'Home Assistant core state RUNNING',
      async () => {
        const c = await this.ws();
        const cfg = await c.send<{ state?: string }>({ type: 'get_config' });
        return cfg.state === 'RUNNING' ? true : undefined;
      },
      timeoutMs,
    );
  }

  async states(): Promise<HaState[]> {
    return (await this.ws()).send<HaState[]>({ type: 'get_states' });
  }
  async state(entityId: string): Promise<HaState | undefined> {
    return (await this.states()).find((s) => s.entity_id === entityId);
  }
  async entities(): Promise<HaEntityEntry[]> {
    return (await this.ws()).send<HaEntityEntry[]>({ type: 'config/entity_registry/list' });
  }
  async devices(): Promise<HaDeviceEntry[]> {
    return (await this.ws()).send<HaDeviceEntry[]>({ type: 'config/device_registry/list' });
  }

  /** HA's log lines (stdout/stderr) of WARNING and above, optionally from one logger prefix. */
  problems(loggerPrefix = ''): string[] {
    const re = /^\S+ \S+ (WARNING|ERROR|CRITICAL) \([^)]*\) \[([^\]]+)\] /;
    return this.lines.filter((l) => {
      const m = re.exec(l);
      return m !== null && (m[2] ?? '').startsWith(loggerPrefix);
    });
  }

  /** The last lines of HA's output, for failure messages. */
  tail(n = 40): string {
    return this.lines.slice(-n).join('\n');
  }

  /** Stops HA gracefully (it publishes its own `offline`), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    this.closeClient();
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => p.kill('SIGKILL'), 30_000);
      p.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      p.kill('SIGTERM');
    });
  }

  /** Same configuration directory, same port, same token. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
    await this.waitRunning();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.configDir, { recursive: true, force: true });
  }
}
