/** Child processes the tests start (brokers, socat, Monitor itself). */
import type { ChildProcess } from 'node:child_process';

/** Sends `signal` and resolves once the process has exited (at once if it already has). */
export function stopProcess(p: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    p.once('exit', () => resolve());
    p.kill(signal);
  });
}
