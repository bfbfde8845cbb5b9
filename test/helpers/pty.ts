/**
 * Two linked pseudo-terminals from socat (../shared/RECIPES.md): the code under test opens
 * `a` with `serialport`, the simulator drives `b`. Closing the pair simulates an unplug.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopProcess } from './process.js';

export class PtyPair {
  private proc: ChildProcess | undefined;
  readonly dir: string;
  readonly a: string;
  readonly b: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'pty-'));
    this.a = join(this.dir, 'ttyA');
    this.b = join(this.dir, 'ttyB');
  }

  async open(): Promise<void> {
    this.proc = spawn(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`],
      {
        stdio: 'ignore',
      },
    );
    const deadline = Date.now() + 5000;
    while (!(existsSync(this.a) && existsSync(this.b))) {
      if (this.proc.exitCode !== null) throw new Error('socat exited');
      if (Date.now() > deadline) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Kills socat: both ends vanish, as when a USB adapter is unplugged. */
  async close(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    await stopProcess(p);
  }

  async dispose(): Promise<void> {
    await this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
