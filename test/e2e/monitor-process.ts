/**
 * The real `monitor run --config FILE` (bin/monitor.js → dist/monitor.js, made by `npm run
 * build`) as a child process, for the end-to-end tests: start, kill -9, graceful stop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopProcess } from '../helpers/process.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(REPO, 'bin/monitor.js');

export class MonitorProcess {
  readonly dir: string;
  readonly configFile: string;
  private proc: ChildProcess | undefined;
  private out = '';

  constructor(config: Record<string, unknown>) {
    if (!existsSync(join(REPO, 'dist/monitor.js')))
      throw new Error('dist/monitor.js is missing: run `npm run build` before the end-to-end tests');
    this.dir = mkdtempSync(join(tmpdir(), 'monitor-e2e-'));
    this.configFile = join(this.dir, 'config.json');
    writeFileSync(this.configFile, JSON.stringify({ data_dir: join(this.dir, 'data'), ...config }, null, 2));
  }

  /**
   * `monitor run` as the e2e suites start it (their node, English, the test broker, a quick
   * republish after HA's birth), plus the suite's own sections.
   */
  static onBroker(nodeId: string, brokerUrl: string, sections: Record<string, unknown> = {}): MonitorProcess {
    return new MonitorProcess({
      node_id: nodeId,
      language: 'en',
      mqtt: { url: brokerUrl },
      discovery: { republish_delay_ms: 300 },
      ...sections,
    });
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error('monitor already running');
    const proc = spawn(process.execPath, [BIN, 'run', '--config', this.configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MONITOR_LOG_LEVEL: 'info', LANG: 'en_US.UTF-8' },
    });
    this.proc = proc;
    proc.stdout?.on('data', (d) => {
      this.out += d.toString();
    });
    proc.stderr?.on('data', (d) => {
      this.out += d.toString();
    });
  }

  /** What Monitor printed (for failure messages). */
  output(): string {
    return this.out.slice(-4000);
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    await stopProcess(this.proc, sig);
  }

  /** kill -9: no chance to publish `offline`; the broker sends the last will. */
  kill9(): Promise<void> {
    return this.signal('SIGKILL');
  }

  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
