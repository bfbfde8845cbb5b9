/**
 * One version everywhere a user or a store reads one: package.json (and its lock), the app's
 * config.yaml and CHANGELOG.md, the cards' VERSION, the bridge's manifest.json, CHANGELOG.md.
 * `npx tsx scripts/check-versions.ts [vX.Y.Z]` prints every mismatch and exits 1; with a tag
 * (the release workflow passes it) the tag must be that version and CHANGELOG.md must have its
 * section. test/ship/versions.test.ts runs the same checks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const BRIDGE_MANIFEST = 'custom_components_bridge/monitor_bridge/manifest.json';

export interface VersionReport {
  version: string;
  problems: string[];
  /** Files not in this tree yet (compared once they exist). */
  absent: string[];
}

export function checkVersions(root: string, tag?: string): VersionReport {
  const read = (p: string) => readFileSync(join(root, p), 'utf8');
  const version = (JSON.parse(read('package.json')) as { version: string }).version;
  const problems: string[] = [];
  const absent: string[] = [];
  const expect = (where: string, found: string | undefined) => {
    if (found !== version) problems.push(`${where}: ${found ?? 'no version'} (package.json: ${version})`);
  };
  const lock = JSON.parse(read('package-lock.json')) as {
    version?: string;
    packages?: Record<string, { version?: string }>;
  };
  expect('package-lock.json', lock.version);
  expect('package-lock.json packages[""]', lock.packages?.['']?.version);
  expect('addon/config.yaml', String((parse(read('addon/config.yaml')) as { version?: unknown }).version));
  expect('addon/CHANGELOG.md (first section)', /^## (\S+)$/m.exec(read('addon/CHANGELOG.md'))?.[1]);
  expect(
    'cards/src/shared/const.ts VERSION',
    /export const VERSION = '([^']+)'/.exec(read('cards/src/shared/const.ts'))?.[1],
  );
  if (existsSync(join(root, BRIDGE_MANIFEST)))
    expect(BRIDGE_MANIFEST, (JSON.parse(read(BRIDGE_MANIFEST)) as { version?: string }).version);
  else absent.push(BRIDGE_MANIFEST);
  // CHANGELOG.md: the newest released section is this version, or nothing is released yet.
  const changelog = read('CHANGELOG.md');
  const released = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\]/gm)].map((m) => m[1]);
  if (released.length > 0) expect('CHANGELOG.md (newest section)', released[0]);
  else if (!/^## \[Unreleased\]/m.test(changelog))
    problems.push('CHANGELOG.md: no [Unreleased] or version section');
  if (tag !== undefined) {
    if (tag.replace(/^v/, '') !== version) problems.push(`tag ${tag} is not v${version}`);
    if (!released.includes(version))
      problems.push(`CHANGELOG.md has no "## [${version}]" section for the release`);
  }
  return { version, problems, absent };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = checkVersions(process.cwd(), process.argv[2]);
  for (const a of report.absent) console.log(`not compared (absent): ${a}`);
  for (const p of report.problems) console.error(p);
  console.log(report.problems.length === 0 ? `version ${report.version} everywhere` : 'versions differ');
  process.exit(report.problems.length === 0 ? 0 : 1);
}
