/**
 * `monitor demo`: a simulated SIM800 on an in-memory line. It receives an SMS now and then
 * (sometimes a command from the demo's authorised number) and accepts sends.
 */
import type { DemoProvider } from '../../demo/providers.js';
import { createMemoryLine, removeMemoryLine } from './serial/memory.js';
import { ModemSimulator } from './simulator/modem-sim.js';

const SAMPLES = [
  { from: '+33612345678', text: 'Alstatus' },
  { from: '+33698765432', text: 'Coucou, on arrive vers 19 h !' },
  { from: 'Orange', text: 'Votre forfait est renouvelé.' },
  { from: '+33698765432', text: `Long message : ${'la maison est calme, tout va bien. '.repeat(6)}` },
];

export const smsDemo: DemoProvider = {
  name: 'sms',
  async start(ctx) {
    const line = createMemoryLine('demo-modem');
    const sim = new ModemSimulator(line.device, { profile: 'sim800', reportDelayMs: 1500, sendDelayMs: 300 });
    sim.boot();
    let i = 0;
    const timer = setInterval(
      () => sim.receive(SAMPLES[i++ % SAMPLES.length] as (typeof SAMPLES)[number]),
      45_000,
    );
    timer.unref();
    const first = setTimeout(() => sim.receive(SAMPLES[1] as (typeof SAMPLES)[number]), 5000);
    first.unref();
    const fr = ctx.lang === 'fr';
    return {
      section: {
        name: 'sms',
        value: {
          port: 'memory:demo-modem',
          default_recipients: ['+33600000000'],
          poll_seconds: 30,
          commands: { authorized_senders: ['+33612345678'], pin: '1234' },
        },
      },
      lines: [
        fr
          ? 'SMS : modem SIM800 simulé ; un SMS arrive toutes les 45 s. Envoi :'
          : 'SMS: simulated SIM800 modem; an SMS arrives every 45 s. Send one:',
        `  mosquitto_pub -h ${new URL(ctx.mqttUrl).hostname} -p ${new URL(ctx.mqttUrl).port} -t monitor/demo/sms/send/set -m '{"to":"+33611111111","text":"Hello"}'`,
      ],
      async stop() {
        clearInterval(timer);
        clearTimeout(first);
        sim.stop();
        removeMemoryLine('demo-modem');
      },
    };
  },
};
