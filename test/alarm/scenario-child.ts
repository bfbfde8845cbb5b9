/** Child process of the scenario test: Monitor with sms (modem on a pty), users and alarm; killed with SIGKILL. */
import { App } from '../../addon/src/app.js';
import { loadConfigObject } from '../../addon/src/config/load.js';
import { LoggerRoot } from '../../addon/src/core/logger.js';

const env = process.env as Record<string, string>;
const level = (env.MONITOR_LOG_LEVEL as 'silent') ?? 'silent';
const config = loadConfigObject(
  {
    node_id: 'sc',
    data_dir: env.SC_DIR,
    language: 'en',
    log: { level },
    mqtt: { url: env.SC_MQTT },
    homeassistant: { url: env.SC_HA, token: env.SC_TOKEN },
    discovery: { republish_delay_ms: 0, coalesce_ms: 10 },
    sms: {
      port: env.SC_PORT,
      command_timeout_seconds: 1,
      send_timeout_seconds: 3,
      watchdog_seconds: 1,
      poll_seconds: 1,
      status_reports: false,
      max_per_minute: 100,
      commands: { max_pin_failures: 3, lockout_minutes: 30 },
    },
    users: {},
    alarm: {
      modes: { away: { exit_delay: 2, entry_delay: Number(env.SC_ENTRY ?? 6), trigger_time: 2 } },
      sensors: [
        { entity_id: 'binary_sensor.front_door', name: 'Front door', delayed: true },
        { entity_id: 'binary_sensor.hall_motion', name: 'Hall motion' },
      ],
      sirens: ['siren.hall'],
    },
  },
  {},
  'en',
);
const app = new App(config, { logRoot: new LoggerRoot({ level }), env: {} });
await app.start();
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
