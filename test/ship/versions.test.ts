/**
 * Releases: one version in every file a store reads (scripts/check-versions.ts), a hacs.json that
 * HACS's validation accepts, and workflows that publish what the stores expect.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { APP_ARCH, APP_IMAGE, HA_MIN_VERSION } from '../../scripts/app-manifest.js';
import { BRIDGE_MANIFEST, checkVersions } from '../../scripts/check-versions.js';
import { ROOT } from '../helpers/build.js';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

test('the same version in package.json, the lock, the app, the cards, the bridge and the changelogs', (t) => {
  const report = checkVersions(ROOT);
  assert.deepEqual(report.problems, []);
  // The bridge's manifest is written on feat/bridge: compared as soon as it is in the tree.
  if (report.absent.includes(BRIDGE_MANIFEST)) t.diagnostic(`${BRIDGE_MANIFEST} absent: not compared`);
});

test('a mismatch anywhere is reported, and a tag needs its changelog section', () => {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-versions-'));
  try {
    for (const f of ['package.json', 'package-lock.json', 'CHANGELOG.md', 'addon', 'cards/src/shared'])
      cpSync(join(ROOT, f), join(dir, f), { recursive: true });
    const version = checkVersions(dir).version;
    writeFileSync(
      join(dir, 'cards/src/shared/const.ts'),
      read('cards/src/shared/const.ts').replace(`VERSION = '${version}'`, "VERSION = '9.9.9'"),
    );
    mkdirSync(join(dir, 'custom_components_bridge/monitor_bridge'), { recursive: true });
    writeFileSync(join(dir, BRIDGE_MANIFEST), JSON.stringify({ domain: 'monitor_bridge', version: '0.0.1' }));
    const r = checkVersions(dir, 'v9.9.9');
    assert.ok(
      r.problems.some((p) => p.startsWith('cards/src/shared/const.ts VERSION: 9.9.9')),
      r.problems.join('\n'),
    );
    assert.ok(r.problems.some((p) => p.startsWith(`${BRIDGE_MANIFEST}: 0.0.1`)));
    assert.ok(r.problems.some((p) => p.startsWith('tag v9.9.9')));
    assert.ok(r.problems.some((p) => p.includes(`"## [${version}]"`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hacs.json: only keys HACS knows, the bundle name rollup writes, the same minimum Home Assistant', () => {
  const hacs = JSON.parse(read('hacs.json')) as Record<string, unknown>;
  // hacs/integration validate/schemas: the keys of a repository's hacs.json (2026).
  const known = [
    'name',
    'content_in_root',
    'zip_release',
    'filename',
    'hide_default_branch',
    'country',
    'homeassistant',
    'hacs',
    'persistent_directory',
  ];
  assert.deepEqual(
    Object.keys(hacs).filter((k) => !known.includes(k)),
    [],
  );
  assert.equal(typeof hacs.name, 'string');
  assert.equal(hacs.filename, 'monitor-cards.js');
  assert.match(read('rollup.config.mjs'), /file: 'dist\/monitor-cards\.js'/);
  assert.equal(hacs.homeassistant, HA_MIN_VERSION);
});

test('workflows: CI runs .ci/run; a tag attaches the cards, pushes the images config.yaml names, publishes npm', () => {
  const ci = parse(read('.github/workflows/ci.yml')) as {
    on: unknown;
    jobs: Record<string, { steps: Array<Record<string, string>> }>;
  };
  assert.ok(Object.values(ci.jobs).some((j) => j.steps.some((s) => /bash \.ci\/run/.test(s.run ?? ''))));
  const release = read('.github/workflows/release.yml');
  const wf = parse(release) as { on: { push: { tags: string[] } }; jobs: Record<string, unknown> };
  assert.deepEqual(wf.on.push.tags, ['v*.*.*']);
  assert.match(release, /scripts\/check-versions\.ts "\$\{\{ github\.ref_name \}\}"/);
  assert.match(
    release,
    /gh release (create|upload)[^\n]*dist\/monitor-cards\.js dist\/monitor-ha-\*\.tar\.gz/,
  );
  assert.match(release, /npm run pack:standalone/);
  assert.match(read('package.json'), /"pack:standalone": "tsx scripts\/pack-standalone\.ts dist"/);
  // The image names config.yaml gives the Supervisor, for every architecture it lists.
  const image = APP_IMAGE.replace('{arch}', '${{ matrix.arch }}');
  for (const arch of APP_ARCH) assert.match(release, new RegExp(`arch: ${arch}\\b`));
  assert.ok(release.includes(`${image}:`), `release.yml pushes ${image}`);
  assert.match(release, /file: addon\/Dockerfile/);
  assert.match(release, /npm publish --provenance --access public/);
});
