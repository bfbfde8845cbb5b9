/**
 * Distribution of monitor_bridge: what ships (manifest, translations, the cards' bundle of the
 * same build) and how the `bridge` section installs it into Home Assistant's custom_components
 * (only over an older copy) and asks for a restart through a fake Home Assistant websocket.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MonitorConfig } from '../../addon/src/config/types.generated.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { ModuleContext } from '../../addon/src/core/module.js';
import { HaClient } from '../../addon/src/ha/websocket.js';
import {
  compareVersions,
  findShippedIntegration,
  installIntegration,
  manifestVersion,
} from '../../addon/src/modules/bridge/install.js';
import { create, RESTART_NOTIFICATION_ID } from '../../addon/src/modules/bridge/module.js';
import { ensureBuilt, ROOT } from '../helpers/build.js';
import { FakeHa } from '../helpers/fake-ha.js';

const SHIPPED = join(ROOT, 'custom_components_bridge/monitor_bridge');
const log = new LoggerRoot({ level: 'silent', timestamps: false, sink: { write: () => {} } }).logger(
  'bridge',
);
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;

function keys(o: unknown, prefix = ''): string[] {
  if (!o || typeof o !== 'object') return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, `${prefix}${k}.`));
}

describe('what ships', () => {
  test('manifest follows the 2026 rules and carries the package version', () => {
    const m = json(join(SHIPPED, 'manifest.json'));
    assert.equal(m.version, json(join(ROOT, 'package.json')).version);
    assert.equal(m.domain, 'monitor_bridge');
    assert.deepEqual(m.dependencies, ['mqtt']);
    assert.equal(m.config_flow, true);
    assert.equal(m.single_config_entry, true);
    assert.equal(m.iot_class, 'local_push');
    assert.equal(m.integration_type, 'hub');
    for (const k of ['name', 'documentation', 'issue_tracker', 'codeowners']) assert.ok(m[k], k);
    assert.ok(
      !existsSync(join(SHIPPED, 'strings.json')),
      'custom integrations ship translations/, not strings.json',
    );
    assert.ok(existsSync(join(SHIPPED, 'brand/icon.png')));
  });

  test('French and English translations have the same keys, and every action is translated', () => {
    const en = json(join(SHIPPED, 'translations/en.json'));
    const fr = json(join(SHIPPED, 'translations/fr.json'));
    assert.deepEqual(keys(fr).sort(), keys(en).sort());
    const actions = readFileSync(join(SHIPPED, 'services.yaml'), 'utf8').match(/^[a-z_]+(?=:)/gm) ?? [];
    assert.equal(actions.length, 11);
    assert.deepEqual(Object.keys(en.services as object).sort(), [...actions].sort());
  });

  test('the build puts the cards bundle of the same build into the integration', async () => {
    await ensureBuilt();
    const served = join(SHIPPED, 'www/monitor-cards.js');
    assert.ok(readFileSync(served).equals(readFileSync(join(ROOT, 'dist/monitor-cards.js'))));
  });

  test('the shipped integration is found above the running code', () => {
    assert.equal(findShippedIntegration(), SHIPPED);
    assert.equal(findShippedIntegration(join(ROOT, 'dist/monitor.js')), SHIPPED);
  });
});

describe('install into custom_components', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'monitor-bridge-install-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function fakeInstalled(configDir: string, version: string): string {
    const target = join(configDir, 'custom_components/monitor_bridge');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'manifest.json'), JSON.stringify({ domain: 'monitor_bridge', version }));
    writeFileSync(join(target, 'stale.py'), '# left by an older version\n');
    return target;
  }

  test('versions compare numerically', () => {
    assert.equal(compareVersions('0.10.0', '0.9.3'), 1);
    assert.equal(compareVersions('1.0', '1.0.0'), 0);
    assert.equal(compareVersions('0.1.0-beta.1', '0.1.1'), -1);
  });

  test('missing: installed whole; same version: left alone', () => {
    const configDir = join(dir, 'fresh');
    const first = installIntegration(SHIPPED, configDir);
    assert.equal(first.action, 'installed');
    assert.equal(manifestVersion(first.path), manifestVersion(SHIPPED));
    assert.ok(existsSync(join(first.path, 'translations/fr.json')));
    assert.equal(installIntegration(SHIPPED, configDir).action, 'current');
  });

  test('older: replaced (no file of the old version left); newer: never downgraded', () => {
    const older = join(dir, 'older');
    const target = fakeInstalled(older, '0.0.1');
    const outcome = installIntegration(SHIPPED, older);
    assert.deepEqual(outcome, {
      action: 'updated',
      version: manifestVersion(SHIPPED),
      previous: '0.0.1',
      path: target,
    });
    assert.ok(!existsSync(join(target, 'stale.py')));
    const newer = join(dir, 'newer');
    fakeInstalled(newer, '99.0.0');
    assert.equal(installIntegration(SHIPPED, newer).action, 'newer_installed');
    assert.equal(manifestVersion(join(newer, 'custom_components/monitor_bridge')), '99.0.0');
  });

  test('the bridge section installs and asks Home Assistant for a restart, in French', async () => {
    const ha = new FakeHa();
    await ha.start();
    const client = new HaClient({ url: ha.url, token: ha.token }, log);
    try {
      const configDir = join(dir, 'module');
      fakeInstalled(configDir, '0.0.1');
      const ctx = {
        config: { install: true, config_dir: configDir },
        lang: 'fr',
        log,
        ha: client,
        setStatus: () => {},
      } as unknown as ModuleContext<NonNullable<MonitorConfig['bridge']>>;
      // The module starts before the HA client has connected, as in App.start().
      await create(ctx).start();
      await client.start();
      const deadline = Date.now() + 5000;
      while (ha.serviceCalls.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      const call = ha.serviceCalls[0];
      assert.equal(call?.domain, 'persistent_notification');
      assert.equal(call?.service, 'create');
      assert.equal(call?.service_data.notification_id, RESTART_NOTIFICATION_ID);
      assert.match(String(call?.service_data.title), /^Redémarrez Home Assistant pour Monitor bridge \d/);
      // A second start finds the current version: nothing copied, no second notification.
      await create(ctx).start();
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(ha.serviceCalls.length, 1);
    } finally {
      client.close();
      await ha.stop();
    }
  });

  test('install: false touches nothing', async () => {
    const configDir = join(dir, 'off');
    const ctx = {
      config: { install: false, config_dir: configDir },
      lang: 'en',
      log,
    } as unknown as ModuleContext<NonNullable<MonitorConfig['bridge']>>;
    await create(ctx).start();
    assert.ok(!existsSync(join(configDir, 'custom_components')));
  });
});
