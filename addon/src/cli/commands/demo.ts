import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveLang } from '../../core/i18n.js';
import { isLogLevel, LoggerRoot } from '../../core/logger.js';
import type { DemoHandle } from '../../demo/providers.js';
import { type Command, printJson } from '../types.js';
import { handleSignals } from './run.js';

export const demoCmd: Command = {
  path: ['demo'],
  usage: 'monitor demo [--lan | --listen ADDR] [--port N] [--duration S]',
  summary: {
    en: 'Everything on embedded defaults: in-process broker, simulated devices, gateway.',
    fr: 'Tout sur des valeurs intégrées : broker local, appareils simulés, passerelle.',
  },
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '0' },
        listen: { type: 'string', default: '127.0.0.1' },
        lan: { type: 'boolean', default: false },
        duration: { type: 'string' },
      },
    });
    // The demo's simulators and broker are loaded only for `monitor demo` (commands/index.ts).
    const [
      { App },
      { loadConfigObject },
      { haDialogLines },
      { DEMO_PORTS, startDemoBroker },
      { DEMO_PROVIDERS },
      { loadOrCreateRpcSecret },
      { signRequest },
    ] = await Promise.all([
      import('../../app.js'),
      import('../../config/load.js'),
      import('../../demo/banner.js'),
      import('../../demo/demo-broker.js'),
      import('../../demo/providers.js'),
      import('../../mqtt/rpc-secret.js'),
      import('../../mqtt/rpc-sign.js'),
    ]);
    const lang = resolveLang(undefined, io.env);
    const envLevel = io.env.MONITOR_LOG_LEVEL;
    const root = new LoggerRoot({ level: isLogLevel(envLevel) ? envLevel : 'info' });
    const log = root.logger('demo');
    const dataDir = mkdtempSync(join(tmpdir(), 'monitor-demo-'));
    const kind = io.env.MONITOR_DEMO_BROKER;
    const broker = await startDemoBroker({
      dir: dataDir,
      port: Number(values.port),
      host: values.lan ? '0.0.0.0' : values.listen,
      env: io.env,
      ...(kind === 'aedes' || kind === 'mosquitto' ? { kind } : {}),
    });
    const handles: DemoHandle[] = [];
    const sections: Record<string, unknown> = {};
    for (const p of DEMO_PROVIDERS) {
      try {
        const h = await p.start({
          dataDir,
          log: root.logger(`demo:${p.name}`),
          lang,
          mqttUrl: broker.url,
          baseTopic: 'monitor',
          nodeId: 'demo',
        });
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
    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= (async () => {
        await app.stop();
        for (const h of handles) await h.stop().catch(() => {});
        await broker.close();
        rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    };
    await app.start();
    const { hostname, port } = new URL(broker.url);
    const watch = `mosquitto_sub -h ${hostname} -p ${port} -t '#' -v`;
    // RPC requests are signed (docs/rpc.md): a ready-made one, valid for 60 s, for the demo.
    const rpcSecret = loadOrCreateRpcSecret(config.rpc.secret, dataDir).secret;
    const rpcExample = `mosquitto_pub -h ${hostname} -p ${port} -t monitor/demo/rpc/send_sms -m '${signRequest(
      rpcSecret,
      { id: 'demo', method: 'send_sms', params: { to: ['+33612345678'], text: 'Hello' } },
    )}'`;
    printJson(io, {
      event: 'demo_ready',
      mqtt_url: broker.url,
      broker: { kind: broker.kind, host: broker.host, port: broker.port, protocols: broker.protocols },
      node_id: 'demo',
      modules: app.activeModules(),
      watch,
      rpc_secret: rpcSecret,
    });
    const fr = lang === 'fr';
    const fallback = broker.port !== DEMO_PORTS[0] && !Number(values.port);
    io.stderr(
      [
        '',
        fr
          ? `Monitor démo : broker MQTT ${broker.kind} sur ${broker.host}:${broker.port}`
          : `Monitor demo: MQTT broker (${broker.kind}) on ${broker.host}:${broker.port}`,
        ...(fallback
          ? [
              fr
                ? `  (port ${DEMO_PORTS[0]} occupé : port de repli fixe ${broker.port})`
                : `  (port ${DEMO_PORTS[0]} is in use: fixed fallback port ${broker.port})`,
            ]
          : []),
        ...haDialogLines(broker, lang).map((l) => `  ${l}`),
        fr ? `  Observer : ${watch}` : `  Watch it: ${watch}`,
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
    // With or without --duration: a SIGTERM (systemctl stop, kill) must stop the broker the
    // demo started, which Node's default SIGTERM exit would leave running.
    handleSignals(stop, (m) => log.info(m));
    if (values.duration) {
      await new Promise((r) => setTimeout(r, Number(values.duration) * 1000));
      await stop();
      return 0;
    }
    await new Promise(() => {});
    return 0;
  },
};
