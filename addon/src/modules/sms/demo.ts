/**
 * `monitor demo`: a simulated SIM800 on an in-memory line. It accepts sends, and receives the
 * SMS the user publishes on `<base>/<node>/demo/modem/incoming` (so `Alon 1234` from the
 * authorised number can be tried), plus one round of samples from senders that are not
 * authorised (a command sample would be answered by SMS at every round).
 */
import { incomingTopic, parseIncoming } from '../../demo/incoming.js';
import type { DemoProvider } from '../../demo/providers.js';
import { openMqttClient } from '../../mqtt/client.js';
import { createMemoryLine, removeMemoryLine } from './serial/memory.js';
import { ModemSimulator } from './simulator/modem-sim.js';

/** The demo's authorised number; its PIN is DEMO_PIN. */
export const DEMO_SENDER = '+33612345678';
export const DEMO_PIN = '1234';

export const DEMO_SAMPLES = [
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
    const timers = DEMO_SAMPLES.map((s, i) => setTimeout(() => sim.receive(s), 5000 + i * 45_000));
    for (const t of timers) t.unref();
    const topic = incomingTopic(ctx.baseTopic, ctx.nodeId);
    const client = openMqttClient(ctx.mqttUrl, {
      clientId: `monitor_${ctx.nodeId}_demo_modem`,
      reconnectPeriod: 1000,
    });
    client.on('connect', () => client.subscribe(topic, { qos: 1 }));
    client.on('error', (err) => ctx.log.debug(() => `demo modem MQTT: ${err.message}`));
    client.on('message', (_t, payload) => {
      const sms = parseIncoming(payload.toString('utf8'), DEMO_SENDER);
      if (!sms.ok) {
        ctx.log.warn(() => `${topic}: ${sms.error}`);
        return;
      }
      ctx.log.info(() => `simulated network: SMS from ${sms.from}`);
      sim.receive({ from: sms.from, text: sms.text });
    });
    const { hostname, port } = new URL(ctx.mqttUrl);
    const fr = ctx.lang === 'fr';
    return {
      section: {
        name: 'sms',
        value: {
          port: 'memory:demo-modem',
          default_recipients: ['+33600000000'],
          poll_seconds: 30,
          commands: { authorized_senders: [DEMO_SENDER], pin: DEMO_PIN },
        },
      },
      lines: [
        fr
          ? `SMS : modem SIM800 simulé ; numéro autorisé ${DEMO_SENDER}, code ${DEMO_PIN}. Lui envoyer un SMS :`
          : `SMS: simulated SIM800 modem; authorised number ${DEMO_SENDER}, PIN ${DEMO_PIN}. Send it an SMS:`,
        `  mosquitto_pub -h ${hostname} -p ${port} -t ${topic} -m '{"from":"${DEMO_SENDER}","text":"Alon ${DEMO_PIN}"}'`,
        fr
          ? `  (ou dans Home Assistant : action mqtt.publish, topic ${topic}, payload le texte)`
          : `  (or in Home Assistant: action mqtt.publish, topic ${topic}, payload the text)`,
        fr ? 'Envoyer un SMS depuis le modem :' : 'Send an SMS from the modem:',
        `  mosquitto_pub -h ${hostname} -p ${port} -t ${ctx.baseTopic}/${ctx.nodeId}/sms/send/set -m '{"to":"+33611111111","text":"Hello"}'`,
      ],
      async stop() {
        for (const t of timers) clearTimeout(t);
        await client.endAsync(true);
        sim.stop();
        removeMemoryLine('demo-modem');
      },
    };
  },
};
