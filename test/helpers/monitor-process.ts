/**
 * The real `monitor` CLI as a child process (after ensureBuilt()): output collected, exit
 * awaited, killed on dispose so that no test leaves a process behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from './build.js';

export class MonitorProcess {
  readonly proc: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT) {
    this.proc = spawn(process.execPath, [BIN, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MONITOR_LOG_LEVEL: 'debug', MONITOR_LANG: 'en', ...env },
    });
    this.proc.stdout?.on('data', (d) => {
      this.stdout += d.toString();
    });
    this.proc.stderr?.on('data', (d) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) =>
      this.proc.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolves when stderr (the log) matches. */
  async waitForLog(re: RegExp, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!re.test(this.stderr)) {
      if (!this.running) throw new Error(`process exited before ${re}:\n${this.stderr}`);
      if (Date.now() > end) throw new Error(`no log line ${re} within ${timeoutMs} ms:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.running) this.proc.kill(signal);
  }

  async dispose(): Promise<void> {
    if (this.running) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** A temporary directory with a config file in it; `cleanup()` removes both. */
export function tempConfig(
  content: string,
  name = 'monitor.yaml',
): { file: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-cfg-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return { file, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A config for `monitor run` against a broker: gateway only, quick timings for tests. */
export function runConfig(o: {
  url: string;
  nodeId: string;
  dataDir: string;
  extra?: string;
  mqttExtra?: string;
}): string {
  return [
    `node_id: ${o.nodeId}`,
    `data_dir: ${JSON.stringify(o.dataDir)}`,
    'language: en',
    'mqtt:',
    `  url: ${JSON.stringify(o.url)}`,
    '  reconnect_max_seconds: 2',
    ...(o.mqttExtra ? [o.mqttExtra] : []),
    'discovery:',
    '  republish_delay_ms: 200',
    '  coalesce_ms: 20',
    ...(o.extra ? [o.extra] : []),
    '',
  ].join('\n');
}
