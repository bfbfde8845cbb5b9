/**
 * The alarm end to end against a REAL Home Assistant core (test/e2e/setup-ha.sh) and a real
 * Mosquitto, with the real `monitor run`: the MQTT panel appears, arms and disarms from
 * `alarm_control_panel.alarm_arm_away` / `alarm_disarm` with a user's code (REMOTE_CODE: HA
 * passes the code on, Monitor checks it), refuses a wrong code, and a `tag_scanned` event
 * fired in HA disarms it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import { openRegistry, registryStore } from '../../addon/src/modules/users/files.js';
import { ensureBuilt } from '../helpers/build.js';
import { Mosquitto } from '../helpers/mosquitto.js';
import { type HaState, HomeAssistant, until } from './ha.js';
import { MonitorProcess } from './monitor-process.js';

const NODE = 'e2ealarm';
const PANEL = `alarm_control_panel.${NODE}_alarm_panel`;

describe('Home Assistant end to end: the alarm panel', { timeout: 240_000 }, () => {
  let ha: HomeAssistant;
  let broker: Mosquitto;
  let monitor: MonitorProcess;

  const panel = (pred: (s: HaState) => boolean, what: string) =>
    until(
      `${PANEL}: ${what}`,
      async () => {
        const s = await ha.state(PANEL);
        return s && pred(s) ? s : undefined;
      },
      30_000,
    ).catch(async (err) => {
      throw new Error(
        `${err.message}\nHA now: ${JSON.stringify(await ha.state(PANEL))}\n--- monitor:\n${monitor.output()}`,
      );
    });

  before(async () => {
    ha = new HomeAssistant();
    await ensureBuilt();
    broker = new Mosquitto();
    await broker.start();
    await ha.start();
    await ha.onboard();
    await ha.addMqtt(broker);
    monitor = new MonitorProcess({
      node_id: NODE,
      language: 'en',
      mqtt: { url: broker.url },
      homeassistant: { url: ha.url, token: ha.token },
      discovery: { republish_delay_ms: 300 },
      users: {},
      alarm: { modes: { away: { exit_delay: 1 } } },
    });
    const reg = openRegistry(
      registryStore(
        join(monitor.dir, 'data', 'users', 'registry.json'),
        new LoggerRoot({ level: 'silent' }).logger('t'),
      ),
      { minPinLength: 4, defaultCountry: 'FR', lang: 'en' },
    );
    await reg.add({ username: 'alice', pin: '1234', uid: '04A32B1C' });
    monitor.start();
  });

  after(async () => {
    await monitor?.dispose();
    await ha?.dispose();
    await broker?.dispose();
  });

  test('the panel appears, arms away and disarms with a code, refuses a wrong one; tag_scanned disarms', async () => {
    const s = await panel((x) => x.state === 'disarmed', 'disarmed');
    assert.equal(s.attributes.code_format, 'number', 'REMOTE_CODE: a number pad');
    assert.equal(s.attributes.code_arm_required, true);
    const ws = await ha.ws();
    await ws.callService('alarm_control_panel', 'alarm_arm_away', { code: '1234' }, { entity_id: PANEL });
    await panel((x) => x.state === 'armed_away', 'armed away after the exit delay');
    await ws.callService('alarm_control_panel', 'alarm_disarm', { code: '0000' }, { entity_id: PANEL });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await ha.state(PANEL))?.state, 'armed_away', 'a wrong code changes nothing');
    await ws.callService('alarm_control_panel', 'alarm_disarm', { code: '1234' }, { entity_id: PANEL });
    await panel((x) => x.state === 'disarmed', 'disarmed with the code');

    await ws.callService('alarm_control_panel', 'alarm_arm_away', { code: '1234' }, { entity_id: PANEL });
    await panel((x) => x.state === 'armed_away', 'armed again');
    await ws.send({ type: 'fire_event', event_type: 'tag_scanned', event_data: { tag_id: '04-A3-2B-1C' } });
    await panel((x) => x.state === 'disarmed', 'disarmed by the badge');
    const last = await ha.state(`sensor.${NODE}_alarm_last_channel`);
    assert.equal(last?.state, 'badge');
  });
});
