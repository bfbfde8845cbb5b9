/** Child process of the crash test: a Monitor with the sms module, killed with SIGKILL. */
import { smsSection, startApp } from './app-harness.js';

const { CRASH_MQTT, CRASH_PORT, CRASH_DIR, CRASH_NODE, CRASH_KEEPALIVE } = process.env;
await startApp(
  CRASH_MQTT as string,
  smsSection(CRASH_PORT as string, { status_reports: false }),
  CRASH_DIR,
  CRASH_NODE ?? 'crash',
  undefined,
  CRASH_KEEPALIVE ? { keepalive: Number(CRASH_KEEPALIVE), reconnect_max_seconds: 1 } : {},
);
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
