/**
 * Where test/e2e/setup-ha.sh installed Home Assistant, and how to run a command inside its root
 * file system. The tests never install anything: when the install is missing they fail with a
 * message naming the setup script (an e2e suite that skips silently proves nothing).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SETUP_SCRIPT = 'test/e2e/setup-ha.sh';

export interface HaInstall {
  /** The Debian forky root file system (chroot). */
  root: string;
  /** `hass` inside the root file system. */
  hass: string;
  /** The pinned homeassistant version the setup installed. */
  version: string;
}

export function e2eDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MONITOR_E2E_DIR || '/var/cache/monitor-e2e';
}

/** The install, or an Error whose message tells how to make it. */
export function findHaInstall(env: NodeJS.ProcessEnv = process.env): HaInstall {
  const root = join(e2eDir(env), 'ha', 'rootfs');
  const marker = join(root, 'opt/ha/.monitor-ha-ok');
  if (!existsSync(marker)) {
    throw new Error(
      `Home Assistant is not installed for the end-to-end tests (no ${marker}).\n` +
        `Run: sudo bash ${SETUP_SCRIPT}   (about 2 minutes the first time; MONITOR_E2E_DIR=${e2eDir(env)})`,
    );
  }
  const version = readFileSync(marker, 'utf8')
    .trim()
    .replace(/^homeassistant==/, '');
  return { root, hass: '/opt/ha/bin/hass', version };
}

/**
 * The command line that runs `argv` inside the root file system with /proc and /dev mounted in
 * a private mount namespace: the mounts vanish with the process, even after kill -9, so nothing
 * is left mounted on the host. Needs root (or password-less sudo).
 */
export function chrootCommand(install: HaInstall, argv: string[]): { cmd: string; args: string[] } {
  const script =
    'root="$1"; shift; mount -t proc proc "$root/proc"; mount --rbind /dev "$root/dev"; exec chroot "$root" "$@"';
  const args = ['-m', '--propagation', 'private', 'sh', '-ec', script, 'ha-e2e', install.root, ...argv];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot ? { cmd: 'unshare', args } : { cmd: 'sudo', args: ['-n', 'unshare', ...args] };
}

/** A clean environment for the chroot (the host's PATH may point at tools that do not exist there). */
export const CHROOT_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
};
