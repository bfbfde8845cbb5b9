/**
 * `language: auto` inside the app takes Home Assistant's language (get_config → language),
 * not the container's locale; without HA it follows the process locale. The names HA gets
 * (discovery over a real Mosquitto) are in that language. Peer: FakeHa (HA's websocket
 * protocol, test/helpers/fake-ha.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { langOfHa } from '../../addon/src/ha/language.js';
import { FakeHa } from '../helpers/fake-ha.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';

describe('language: auto', () => {
  const broker = new Mosquitto();
  const dataDir = mkdtempSync(join(tmpdir(), 'monitor-lang-'));
  before(() => broker.start());
  after(async () => {
    await broker.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function gatewayName(nodeId: string, env: NodeJS.ProcessEnv, ha?: FakeHa): Promise<string> {
    const config = loadConfigObject(
      {
        node_id: nodeId,
        language: 'auto',
        data_dir: dataDir,
        mqtt: { url: broker.url },
        discovery: { orphan_grace_seconds: 0 },
        ...(ha ? { homeassistant: { url: ha.httpUrl, token: ha.token } } : {}),
      },
      {},
    );
    const app = new App(config, { logRoot: new LoggerRoot({ level: 'silent' }), env });
    const rec = await Recorder.open(broker.url, [
      `homeassistant/sensor/${nodeId}_gateway/mqtt_messages_sent/config`,
    ]);
    try {
      await app.start();
      const m = await rec.waitFor(() => true);
      return JSON.parse(m.payload).name as string;
    } finally {
      await app.stop();
      await rec.close();
    }
  }

  test("inside the app, HA's French wins over an English container locale", async () => {
    const ha = new FakeHa({ language: 'fr' });
    await ha.start();
    try {
      assert.equal(await gatewayName('lang_fr', { LANG: 'C.UTF-8' }, ha), 'Messages MQTT envoyés');
    } finally {
      await ha.stop();
    }
  });

  test("HA's English wins over a French process locale", async () => {
    const ha = new FakeHa({ language: 'en-GB' });
    await ha.start();
    try {
      assert.equal(await gatewayName('lang_en', { LANG: 'fr_FR.UTF-8' }, ha), 'MQTT messages sent');
    } finally {
      await ha.stop();
    }
  });

  test('without Home Assistant, the process locale', async () => {
    assert.equal(await gatewayName('lang_loc', { LANG: 'fr_FR.UTF-8' }), 'Messages MQTT envoyés');
  });

  test("HA's language codes: French variants are French, the others English", () => {
    assert.equal(langOfHa('fr'), 'fr');
    assert.equal(langOfHa('fr-CA'), 'fr');
    assert.equal(langOfHa('de'), 'en');
    assert.equal(langOfHa(undefined), undefined);
  });
});
