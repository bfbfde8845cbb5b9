import { parseArgs } from 'node:util';
import type { loadConfigFile } from '../../config/load.js';
import { resolveLang } from '../../core/i18n.js';
import { applyJitMode, jitMode } from '../../core/jit.js';
import { isLogLevel, LoggerRoot } from '../../core/logger.js';
import type { Command } from '../types.js';

/** Stops the app on SIGTERM/SIGINT: modules flush, `offline` is published, the process exits 0. */
export function handleSignals(stop: () => Promise<void>, log: (m: string) => void): void {
  let stopping = false;
  const onSignal = (sig: string) => {
    if (stopping) return;
    stopping = true;
    log(`${sig} received, stopping`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}

export const runCmd: Command = {
  path: ['run'],
  usage: 'monitor run --config FILE',
  summary: {
    en: 'Run the service (inside the add-on, /data/options.json is read when --config is absent).',
    fr: 'Lance le service (dans l’add-on, /data/options.json est lu sans --config).',
  },
  async run(args, io) {
    const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } } });
    // Before anything is compiled (core/jit.ts says why).
    applyJitMode(jitMode(io.env));
    // What only `run` needs is loaded here (cli/commands/index.ts says why).
    const [
      { App },
      { ConfigError, loadConfigFile },
      { applySupervisorMqtt },
      { HEALTH_PORT, startHealthServer },
    ] = await Promise.all([
      import('../../app.js'),
      import('../../config/load.js'),
      import('../../config/supervisor.js'),
      import('../../core/health.js'),
    ]);
    // Journals, registries and state hold phone numbers and PIN hashes: whatever the process
    // creates is private to its user (files 0600, directories 0700), whichever module creates it.
    process.umask(0o077);
    const lang = resolveLang(undefined, io.env);
    const envLevel = io.env.MONITOR_LOG_LEVEL;
    const root = new LoggerRoot({ level: isLogLevel(envLevel) ? envLevel : 'info' });
    let loaded: ReturnType<typeof loadConfigFile>;
    try {
      loaded = loadConfigFile(values.config, io.env, lang);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const p of err.problems) io.stderr(p);
      return 1;
    }
    if (io.env.SUPERVISOR_TOKEN) root.secrets.add(io.env.SUPERVISOR_TOKEN);
    if (isLogLevel(envLevel)) loaded.config.log.level = envLevel;
    await applySupervisorMqtt(loaded.config, io.env, root.secrets, root.logger('config'));
    const app = new App(loaded.config, { logRoot: root, env: io.env, guardNodeId: true });
    const log = root.logger('main');
    // A module bug must not take the whole service down silently: log it (redacted).
    process.on('unhandledRejection', (err) => log.error('unhandled promise rejection', err));
    process.on('uncaughtException', (err) => {
      log.error('uncaught exception, stopping', err);
      app.stop().finally(() => process.exit(1));
    });
    handleSignals(
      () => app.stop(),
      (m) => log.info(m),
    );
    await app.start();
    if (loaded.addon) {
      // The Supervisor's watchdog probes this port (config.yaml); MONITOR_HEALTH_PORT moves it in tests.
      const port = Number(io.env.MONITOR_HEALTH_PORT ?? HEALTH_PORT);
      await startHealthServer(() => ({ mqtt: app.mqtt.connected }), port).catch((err) =>
        log.warn('health endpoint unavailable: the Supervisor watchdog cannot probe the app', err),
      );
    }
    log.info(
      () => `running as node ${loaded.config.node_id}, modules: ${app.activeModules().join(', ') || 'none'}`,
    );
    await new Promise(() => {}); // until a signal
    return 0;
  },
};
