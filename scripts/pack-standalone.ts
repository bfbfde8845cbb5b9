/**
 * The standalone release archive, for a Raspberry Pi or any Linux box with Node ≥ 20 and no
 * build tools: `monitor-ha-<version>.tar.gz` holds `monitor/` with bin/, dist/ (the bundle and
 * the cards) and ONLY the production dependencies (from package-lock.json, dev packages left
 * out), serialport's prebuilt bindings for every Linux architecture included. Install:
 *   sudo tar -xzf monitor-ha-<version>.tar.gz -C /opt
 *   sudo ln -s /opt/monitor/bin/monitor.js /usr/local/bin/monitor
 * Usage: npm run pack:standalone (after `npm run build`; writes dist/), or npx tsx scripts/pack-standalone.ts DIR
 * The release workflow attaches the archive; test/ship/standalone.test.ts installs and runs it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface LockPackage {
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
}

/** `node_modules/…` paths of the production dependencies, as the lock file places them. */
export function productionPackages(lockText: string): string[] {
  const lock = JSON.parse(lockText) as { packages: Record<string, LockPackage> };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev && !p.devOptional && !p.link)
    .map(([path]) => path);
}

export function packStandalone(root: string, outDir: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    files: string[];
  };
  const staging = mkdtempSync(join(tmpdir(), 'monitor-standalone-'));
  try {
    const app = join(staging, 'monitor');
    for (const f of [...pkg.files, 'package.json', 'README.md']) {
      if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run npm run build first`);
      cpSync(join(root, f), join(app, f), { recursive: true, dereference: true });
    }
    for (const dep of productionPackages(readFileSync(join(root, 'package-lock.json'), 'utf8'))) {
      // Optional packages for other platforms are in the lock but not installed here.
      if (existsSync(join(root, dep)))
        cpSync(join(root, dep), join(app, dep), { recursive: true, dereference: true });
    }
    // No install step will run: the scripts of package.json mean nothing in the archive.
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.scripts;
    delete manifest.devDependencies;
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(outDir, { recursive: true });
    const archive = join(outDir, `monitor-ha-${pkg.version}.tar.gz`);
    execFileSync('tar', ['-czf', archive, '--owner=0', '--group=0', '-C', staging, 'monitor']);
    return archive;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(packStandalone(process.cwd(), resolve(process.argv[2] ?? 'dist')));
}
