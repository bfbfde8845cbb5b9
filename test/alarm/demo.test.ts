/** The demo's users and alarm providers: two users seeded, one simulated cycle arms and disarms by badge. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';
import type { DemoHandle } from '../../addon/src/demo/providers.js';
import { alarmDemoWith, usersDemo } from '../../addon/src/modules/alarm/demo.js';
import { Mosquitto, Recorder } from '../helpers/mosquitto.js';
import { quietLog } from '../sms/helpers.js';

const broker = new Mosquitto();
const handles: DemoHandle[] = [];
let app: App | undefined;
let rec: Recorder | undefined;
after(async () => {
  await app?.stop();
  for (const h of handles) await h.stop();
  await rec?.close();
  await broker.dispose();
});

test('demo: alice badges to arm, the door opens (pending), alice badges to disarm', {
  timeout: 60_000,
}, async () => {
  await broker.start();
  rec = await Recorder.open(broker.url, ['monitor/demo/#']);
  const dataDir = mkdtempSync(join(tmpdir(), 'alarm-demo-'));
  const ctx = {
    dataDir,
    log: quietLog,
    lang: 'en' as const,
    mqttUrl: broker.url,
    baseTopic: 'monitor',
    nodeId: 'demo',
  };
  for (const p of [usersDemo, alarmDemoWith(0.1)]) handles.push(await p.start(ctx));
  assert.match(handles[0]?.lines.join('\n') ?? '', /alice \(PIN 1234, duress 9999, badge 04A32B1C\)/);
  const sections = Object.fromEntries(handles.map((h) => [h.section?.name, h.section?.value]));
  const config = loadConfigObject(
    {
      node_id: 'demo',
      data_dir: dataDir,
      mqtt: { url: broker.url },
      discovery: { coalesce_ms: 10 },
      language: 'en',
      ...sections,
    },
    {},
    'en',
  );
  app = new App(config, { logRoot: new LoggerRoot({ level: 'silent' }), env: {} });
  await app.start();
  const r = rec;
  let since = 0;
  const state = async (s: string) => {
    const m = await r.waitFor(
      (x) =>
        r.messages.indexOf(x) >= since &&
        x.topic === 'monitor/demo/alarm/state' &&
        JSON.parse(x.payload).state === s,
      15_000,
    );
    since = r.messages.indexOf(m);
    return m;
  };
  assert.equal(JSON.parse((await state('arming')).payload).last_channel, 'badge');
  await state('armed_away');
  await state('pending');
  const off = JSON.parse((await state('disarmed')).payload);
  assert.equal(off.last_user, 'alice');
  const users = await r.waitFor((m) => m.topic === 'monitor/demo/users/state');
  assert.equal(JSON.parse(users.payload).count, 2);
});
