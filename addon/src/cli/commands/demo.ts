import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { App } from '../../app.js';
import { loadConfigObject } from '../../config/load.js';
import { resolveLang } from '../../core/i18n.js';
import { isLogLevel, LoggerRoot } from '../../core/logger.js';
import { startLocalBroker } from '../../demo/broker.js';
import { DEMO_PROVIDERS, type DemoHandle } from '../../demo/providers.js';
import { loadOrCreateRpcSecret } from '../../mqtt/rpc-secret.js';
import { signRequest } from '../../mqtt/rpc-sign.js';
import { type Command, printJson } from '../types.js';
import { handleSignals } from './run.js';

export const demoCmd: Command = {
  path: ['demo'],
  usage: 'monitor demo [--port N] [--duration SECONDS]',
  summary: {
    en: 'Everything on embedded defaults: in-process broker, simulated devices, gateway.',
    fr: 'Tout sur des valeurs intégrées : broker local, appareils simulés, passerelle.',
  },
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string', default: '0' }, duration: { type: 'string' } },
    });
    const lang = resolveLang(undefined, io.env);
    const envLevel = io.env.MONITOR_LOG_LEVEL;
    const root = new LoggerRoot({ level: isLogLevel(envLevel) ? envLevel : 'info' });
    const log = root.logger('demo');
    const broker = await startLocalBroker(Number(values.port));
    const dataDir = mkdtempSync(join(tmpdir(), 'monitor-demo-'));
    const handles: DemoHandle[] = [];
    const sections: Record<string, unknown> = {};
    for (const p of DEMO_PROVIDERS) {
      try {
        const h = await p.start({ dataDir, log: root.logger(`demo:${p.name}`), lang, mqttUrl: broker.url });
        handles.push(h);
        if (h.section) sections[h.section.name] = h.section.value;
      } catch (err) {
        log.warn(() => `simulated ${p.name} did not start`, err);
      }
    }
    const config = loadConfigObject(
      {
        node_id: 'demo',
        data_dir: dataDir,
        log: { level: isLogLevel(envLevel) ? envLevel : 'info' },
        mqtt: { url: broker.url },
        discovery: { republish_delay_ms: 200 },
        ...sections,
      },
      io.env,
      lang,
    );
    const app = new App(config, { logRoot: root, env: io.env });
    const stop = async () => {
      await app.stop();
      for (const h of handles) await h.stop().catch(() => {});
      await broker.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
    await app.start();
    const watch = `mosquitto_sub -h 127.0.0.1 -p ${broker.port} -t '#' -v`;
    // RPC requests are signed (docs/rpc.md): a ready-made one, valid for 60 s, for the demo.
    const rpcSecret = loadOrCreateRpcSecret(config.rpc.secret, dataDir).secret;
    const rpcExample = `mosquitto_pub -h 127.0.0.1 -p ${broker.port} -t monitor/demo/rpc/send_sms -m '${signRequest(
      rpcSecret,
      { id: 'demo', method: 'send_sms', params: { to: ['+33612345678'], text: 'Hello' } },
    )}'`;
    printJson(io, {
      event: 'demo_ready',
      mqtt_url: broker.url,
      node_id: 'demo',
      modules: app.activeModules(),
      watch,
      rpc_secret: rpcSecret,
    });
    const fr = lang === 'fr';
    io.stderr(
      [
        '',
        fr ? `Monitor démo : broker MQTT sur ${broker.url}` : `Monitor demo: MQTT broker on ${broker.url}`,
        fr ? `  Observer : ${watch}` : `  Watch it: ${watch}`,
        fr
          ? '  Ou pointez l’intégration MQTT de Home Assistant sur ce broker.'
          : "  Or point Home Assistant's MQTT integration at this broker.",
        ...handles.flatMap((h) => h.lines.map((l) => `  ${l}`)),
        ...(app.activeModules().includes('sms')
          ? [
              fr
                ? '  RPC signé (valable 60 s ; `monitor rpc secret` donne la clé) :'
                : '  A signed RPC (valid for 60 s; `monitor rpc secret` gives the key):',
              `    ${rpcExample}`,
            ]
          : []),
        fr ? '  Ctrl-C pour arrêter.' : '  Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    if (values.duration) {
      await new Promise((r) => setTimeout(r, Number(values.duration) * 1000));
      await stop();
      return 0;
    }
    handleSignals(stop, (m) => log.info(m));
    await new Promise(() => {});
    return 0;
  },
};
