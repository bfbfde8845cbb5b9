/**
 * Runs the built app's entry point (`node bin/monitor.js run`, what addon/run.sh execs) as the
 * app container would, without Docker: inside the Debian root file system the end-to-end setup
 * made (test/e2e/setup-ha.sh), seen through a private overlay so that nothing is written to it,
 * in a private mount namespace (`unshare -m`: the mounts vanish with the process, even after
 * kill -9). Inside: /data is a host directory (to read the modes from the host), /etc/hosts
 * names `supervisor` and `core-mosquitto` as in an app's network, the repository and its
 * node_modules are bound read-only at their own paths, and Node is the host's binary.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findHaInstall } from '../e2e/ha-install.js';
import { BIN, ROOT } from '../helpers/build.js';
import { stopProcess } from '../helpers/process.js';

const SCRIPT = `
set -e
lower="$1"; work="$2"; data="$3"; hosts="$4"; repo="$5"; modules="$6"; node="$7"; shift 7
m="$work/merged"
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$work/upper,workdir=$work/work" "$m"
mount -t proc proc "$m/proc"
mount --rbind /dev "$m/dev"
mkdir -p "$m/data" "$m$repo" "$m$modules"
touch "$m/usr/local/bin/node"
mount --bind "$data" "$m/data"
mount --bind "$hosts" "$m/etc/hosts"
mount --bind "$node" "$m/usr/local/bin/node"
mount --bind "$repo" "$m$repo" && mount -o remount,bind,ro "$m$repo"
mount --bind "$modules" "$m$modules" && mount -o remount,bind,ro "$m$modules"
exec chroot "$m" "$@"
`;

export class AppRoot {
  readonly dir = mkdtempSync(join(tmpdir(), 'monitor-app-'));
  /** The app's /data, on the host. */
  readonly data = join(this.dir, 'data');
  proc: ChildProcess | undefined;
  stdout = '';
  stderr = '';
  exited: Promise<number | null> = Promise.resolve(null);

  constructor(hosts: Record<string, string>) {
    for (const d of ['upper', 'work', 'merged', 'data']) mkdirSync(join(this.dir, d), { mode: 0o700 });
    writeFileSync(
      join(this.dir, 'hosts'),
      ['127.0.0.1 localhost', ...Object.entries(hosts).map(([name, ip]) => `${ip} ${name}`), ''].join('\n'),
    );
  }

  writeOptions(options: unknown): void {
    writeFileSync(join(this.data, 'options.json'), JSON.stringify(options));
  }

  /** Starts `node bin/monitor.js run` inside, with the app's environment. */
  start(env: Record<string, string>): void {
    // Mounts, chroot, and the fake Supervisor on port 80: the suite runs as root (`npm test`
    // after `bash .ci/run`), as the end-to-end suites do.
    if (typeof process.getuid === 'function' && process.getuid() !== 0)
      throw new Error('the app runtime test needs root (mount namespaces, chroot, port 80)');
    const install = findHaInstall();
    const args = [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-ec',
      SCRIPT,
      'app-root',
      install.root,
      this.dir,
      this.data,
      join(this.dir, 'hosts'),
      ROOT,
      realpathSync(join(ROOT, 'node_modules')),
      realpathSync(process.execPath),
      '/usr/local/bin/node',
      BIN,
      'run',
    ];
    const proc = spawn('unshare', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...env },
    });
    this.proc = proc;
    proc.stdout?.on('data', (d) => {
      this.stdout += d.toString();
    });
    proc.stderr?.on('data', (d) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async waitForLog(re: RegExp, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!re.test(this.stderr)) {
      if (!this.running) throw new Error(`the app exited before ${re}:\n${this.stderr}`);
      if (Date.now() > end) throw new Error(`no log line ${re} within ${timeoutMs} ms:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async dispose(): Promise<void> {
    await stopProcess(this.proc);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
