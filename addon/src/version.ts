/** Replaced at bundle time would be nicer; reading package.json keeps one source of truth. */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'monitor-ha' && pkg.version) return pkg.version;
    } catch {}
  }
  return '0.0.0';
}

export const VERSION = readVersion();
export const ORIGIN = {
  name: 'Monitor',
  sw_version: VERSION,
  support_url: 'https://github.com/monitor-ha/monitor',
};
