/**
 * A real OctoPrint (PyPI, installed by test/e2e/setup-octoprint.sh in a venv outside the repo)
 * started headless for a test, with its bundled virtual printer:
 * - a fresh basedir with a config.yaml that skips the first-run wizards, the online checks and
 *   the plugins that would reach the internet, and enables a fast virtual printer;
 * - an admin user created with `octoprint user add`, given a user API key in users.yaml (the
 *   documented per-user key; the global `api.key` is deprecated and goes away in 1.13);
 * - `octoprint serve` on a free port of 127.0.0.1; `connect()` connects it to `VIRTUAL`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { freePort } from '../helpers/mosquitto.js';

export const OCTOPRINT_VERSION = '1.11.8'; // keep in sync with test/e2e/setup-octoprint.sh
const run = promisify(execFile);

export function octoprintVenv(): string {
  return join(process.env.MONITOR_E2E_DIR || '/var/cache/monitor-e2e', 'octoprint-venv');
}

/** The `octoprint` executable, or an error that says how to install it (the test fails, never skips). */
export function octoprintBinary(): string {
  const venv = octoprintVenv();
  const bin = join(venv, 'bin', 'octoprint');
  let version = '';
  try {
    version = readFileSync(join(venv, '.monitor-octoprint-version'), 'utf8').trim();
  } catch {}
  if (!existsSync(bin) || version !== OCTOPRINT_VERSION) {
    throw new Error(
      `OctoPrint ${OCTOPRINT_VERSION} is not installed in ${venv}: run test/e2e/setup-octoprint.sh ` +
        '(set MONITOR_E2E_DIR to use another directory) before the printers end-to-end test',
    );
  }
  return bin;
}

/** config.yaml of a headless test instance. */
export function testConfig(): Record<string, unknown> {
  return {
    server: {
      firstRun: false,
      onlineCheck: { enabled: false },
      pluginBlacklist: { enabled: false },
      seenWizards: { corewizard: 4 },
    },
    plugins: {
      // Plugins that phone home or nag; none is needed to print.
      _disabled: [
        'tracking',
        'softwareupdate',
        'announcements',
        'pluginmanager',
        'discovery',
        'errortracking',
        'achievements',
        'backup',
        'health_check',
      ],
      // `_config_version` set: otherwise the plugin "migrates" the (empty) legacy webcam settings over these.
      classicwebcam: {
        _config_version: 1,
        snapshot: 'http://127.0.0.1:8080/?action=snapshot',
        stream: '/webcam/?action=stream',
      },
      virtual_printer: {
        _config_version: 1,
        enabled: true,
        simulateReset: false, // no reset banner to wait for on connect
        sendWait: false,
        throttle: 0.001, // seconds per line (default 0.01)
        waitInterval: 0.1,
        // By default it fakes resends and a timeout at lines 100–115 (a 30 s stall): not here.
        simulated_errors: [],
      },
    },
    serial: { autoconnect: false },
  };
}

export class OctoPrintInstance {
  readonly apiKey = randomBytes(16).toString('hex').toUpperCase();
  port = 0;
  private proc: ChildProcess | undefined;
  private readonly basedir = mkdtempSync(join(tmpdir(), 'octoprint-e2e-'));
  readonly output: string[] = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const bin = octoprintBinary();
    writeFileSync(join(this.basedir, 'config.yaml'), toYaml(testConfig()));
    await run(bin, [
      '--basedir',
      this.basedir,
      'user',
      'add',
      '--password',
      randomBytes(12).toString('hex'),
      '--admin',
      'admin',
    ]);
    const usersFile = join(this.basedir, 'users.yaml');
    const users = parseYaml(readFileSync(usersFile, 'utf8')) as Record<string, Record<string, unknown>>;
    if (!users.admin) throw new Error('octoprint user add did not create the admin user');
    users.admin.apikey = this.apiKey;
    writeFileSync(usersFile, toYaml(users));
    this.port = await freePort();
    const proc = spawn(
      bin,
      [
        'serve',
        '--basedir',
        this.basedir,
        '--host',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--iknowwhatimdoing',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.proc = proc;
    const keep = (d: Buffer) => {
      this.output.push(d.toString());
      if (this.output.length > 400) this.output.splice(0, 100);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (proc.exitCode !== null)
        throw new Error(`octoprint serve exited: ${this.output.join('').slice(-2000)}`);
      try {
        const r = await this.api('GET', 'api/version');
        if (r.status === 200) return;
      } catch {}
      if (Date.now() > deadline) throw new Error(`OctoPrint did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    return fetch(new URL(path, this.url), {
      method,
      headers: {
        'X-Api-Key': this.apiKey,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  }

  async json<T = Record<string, unknown>>(path: string): Promise<T> {
    const r = await this.api('GET', path);
    return (await r.json()) as T;
  }

  /** Connects OctoPrint to its virtual printer and waits until it is operational. */
  async connect(timeoutMs = 30_000): Promise<void> {
    const r = await this.api('POST', 'api/connection', {
      command: 'connect',
      port: 'VIRTUAL',
      baudrate: 115200,
    });
    if (r.status !== 204) throw new Error(`connect: HTTP ${r.status}`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const p = await this.api('GET', 'api/printer');
      if (p.status === 200) {
        const body = (await p.json()) as { state?: { flags?: { operational?: boolean } } };
        if (body.state?.flags?.operational) return;
      } else await p.arrayBuffer();
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error('the virtual printer did not become operational');
  }

  /** Uploads a G-code file to local storage, and starts printing it when `print`. */
  async upload(name: string, gcode: string, print: boolean): Promise<void> {
    const form = new FormData();
    form.append('file', new Blob([gcode], { type: 'application/octet-stream' }), name);
    form.append('print', String(print));
    const r = await fetch(new URL('api/files/local', this.url), {
      method: 'POST',
      headers: { 'X-Api-Key': this.apiKey },
      body: form,
      signal: AbortSignal.timeout(10_000),
    });
    if (r.status !== 201) throw new Error(`upload ${name}: HTTP ${r.status} ${await r.text()}`);
  }

  async jobState(): Promise<{ state: string; progress: { completion: number | null } }> {
    return this.json('api/job');
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (p && p.exitCode === null) {
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => p.kill('SIGKILL'), 10_000);
        p.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        p.kill('SIGTERM');
      });
    }
    rmSync(this.basedir, { recursive: true, force: true });
  }
}

/**
 * A G-code of `lines` moves of 10 mm at 600 mm/min. The virtual printer sleeps a tenth of a
 * move's duration (octoprint/plugins/virtual_printer/virtual.py `_performMove`), which it takes
 * from the signed distance: X20→X30 sleeps 0.1 s, the way back only its Y and E parts (~0.01 s).
 * About 0.055 s per line: 200 lines ≈ 11 s, 4000 ≈ 220 s.
 * Heaters are set without waiting (M104/M140, not M109/M190) and left on.
 */
export function testGcode(lines: number): string {
  const out = [
    '; Monitor e2e test print',
    'G21',
    'G90',
    'M82',
    'M104 S200',
    'M140 S60',
    'G28',
    'G92 E0',
    'G1 Z0.2 F600',
  ];
  let e = 0;
  for (let i = 0; i < lines; i++) {
    e += 0.5;
    const x = i % 2 === 0 ? 20 : 30;
    out.push(`G1 X${x} Y${20 + (i % 10)} E${e.toFixed(2)} F600`);
    if (i % 10 === 9) out.push(`G1 Z${(0.2 + (i + 1) / 50).toFixed(2)} F600`);
  }
  // Heaters stay on at the end (as a slicer's end code would not, but the targets then stay
  // observable however late the next temperature report comes).
  out.push('M84');
  return `${out.join('\n')}\n`;
}
