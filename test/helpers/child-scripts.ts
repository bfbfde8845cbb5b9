/**
 * Test scripts run as child processes (`node --import tsx script.ts`) so that a test can kill
 * them with SIGKILL at any point, as a power cut would. Every child started is killed when the
 * test file ends (`killAll` in its `after`), so no test leaves a process behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export class ChildScripts {
  private readonly children: ChildProcess[] = [];

  /** `script`: an absolute path. The child's stdout is ignored; its stderr is the test's. */
  spawn(script: string, env: Record<string, string>, stdout: 'pipe' | 'ignore' = 'ignore'): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', stdout, 'inherit'],
    });
    this.children.push(child);
    return child;
  }

  /** Resolves once the child writes `ready` on its stdout; rejects if it exits first. */
  start(script: string, env: Record<string, string>): Promise<ChildProcess> {
    const child = this.spawn(script, env, 'pipe');
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (d) => {
        if (String(d).includes('ready')) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
  }

  /** SIGKILL, resolved once the child is gone (at once if it already is). */
  async kill9(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  killAll(): void {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}
