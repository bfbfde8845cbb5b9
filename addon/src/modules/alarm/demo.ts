/**
 * `monitor demo`: two users (alice: PIN 1234, duress 9999, the SMS demo's authorised phone,
 * badge 04A32B1C; bob: PIN 5678, may only arm), a door and a motion sensor and a badge reader,
 * simulated over MQTT (the alarm's sensor and badge topics): every minute alice badges in to
 * arm, comes back through the door (entry delay) and badges again to disarm.
 */
import { join } from 'node:path';
import type { DemoProvider } from '../../demo/providers.js';
import { openMqttClient } from '../../mqtt/client.js';
import { openRegistry, REGISTRY_NAME, registryStore } from '../users/files.js';

const DOOR = 'binary_sensor.demo_front_door';
const MOTION = 'binary_sensor.demo_hall_motion';
const BADGE = '04A32B1C';

export const usersDemo: DemoProvider = {
  name: 'users',
  async start(ctx) {
    const reg = openRegistry(registryStore(join(ctx.dataDir, 'users', `${REGISTRY_NAME}.json`), ctx.log), {
      minPinLength: 4,
      defaultCountry: 'FR',
      lang: ctx.lang,
    });
    if ((await reg.load()).status === 'missing') {
      await reg.add({
        username: 'alice',
        pin: '1234',
        duress_pin: '9999',
        phones: ['+33612345678'],
        uid: BADGE,
      });
      await reg.add({ username: 'bob', pin: '5678', phones: ['+33698765432'], rights: ['arm'] });
    }
    const fr = ctx.lang === 'fr';
    return {
      section: { name: 'users', value: {} },
      lines: [
        fr
          ? 'Utilisateurs : alice (code 1234, sous contrainte 9999, badge 04A32B1C), bob (code 5678, armer seulement).'
          : 'Users: alice (PIN 1234, duress 9999, badge 04A32B1C), bob (PIN 5678, may only arm).',
      ],
      async stop() {},
    };
  },
};

/** `scale` shrinks every delay (tests run the whole cycle in seconds). */
export function alarmDemoWith(scale: number): DemoProvider {
  return {
    name: 'alarm',
    async start(ctx) {
      const url = new URL(ctx.mqttUrl);
      const base = 'monitor/demo/alarm';
      const client = openMqttClient(ctx.mqttUrl, { clientId: 'demo_alarm_sim', reconnectPeriod: 1000 });
      client.on('error', (err) => ctx.log.debug(() => `alarm simulator: ${err.message}`));
      const sensor = (entity_id: string, state: string) =>
        client.publish(`${base}/sensor_input/set`, JSON.stringify({ entity_id, state }));
      const badge = () =>
        client.publish(`${base}/badge/set`, JSON.stringify({ uid: BADGE, reader: 'entry' }));
      const steps: Array<[number, () => void]> = [
        [
          0,
          () => {
            sensor(DOOR, 'off');
            sensor(MOTION, 'off');
          },
        ],
        [5_000, badge], // arms away (badge_action toggle), exit delay 10 s
        [25_000, () => sensor(DOOR, 'on')], // back home: entry delay 15 s
        [27_000, () => sensor(DOOR, 'off')],
        [32_000, badge], // disarms
      ];
      const timers: NodeJS.Timeout[] = [];
      const cycle = () => {
        for (const [at, fn] of steps) timers.push(setTimeout(fn, at * scale).unref());
      };
      const first = setTimeout(cycle, 8000 * scale).unref();
      const every = setInterval(cycle, 60_000 * scale).unref();
      const fr = ctx.lang === 'fr';
      const pub = `mosquitto_pub -h ${url.hostname} -p ${url.port}`;
      return {
        section: {
          name: 'alarm',
          value: {
            modes: { away: { exit_delay: 10 * scale, entry_delay: 15 * scale, trigger_time: 30 * scale } },
            sensors: [
              { entity_id: DOOR, name: fr ? 'Porte d’entrée' : 'Front door', delayed: true },
              { entity_id: MOTION, name: fr ? 'Mouvement entrée' : 'Hall motion' },
            ],
          },
        },
        lines: [
          fr
            ? 'Alarme : porte et détecteur simulés, lecteur de badge ; alice arme et désarme chaque minute. Essayez :'
            : 'Alarm: simulated door, motion sensor and badge reader; alice arms and disarms every minute. Try:',
          `  ${pub} -t ${base}/panel/set -m '{"action":"ARM_AWAY","code":"1234"}'`,
          `  ${pub} -t ${base}/sensor_input/set -m '{"entity_id":"${MOTION}","state":"on"}'`,
          `  ${pub} -t ${base}/panel/set -m '{"action":"DISARM","code":"1234"}'`,
        ],
        async stop() {
          clearTimeout(first);
          clearInterval(every);
          for (const t of timers) clearTimeout(t);
          await client.endAsync(true).catch(() => {});
        },
      };
    },
  };
}

export const alarmDemo = alarmDemoWith(1);
