import { parseArgs } from 'node:util';
import type { loadConfigFile } from '../../config/load.js';
import { resolveLang } from '../../core/i18n.js';
import { type Command, printJson } from '../types.js';

/**
 * Prints the RPC secret to give to the monitor_bridge integration: `rpc.secret` when set,
 * else `<data_dir>/rpc.secret` (created now if the service never ran, so that the bridge can be
 * set up first). Output: `{"secret", "source", "file"?}`.
 */
export const rpcSecretCmd: Command = {
  path: ['rpc', 'secret'],
  usage: 'monitor rpc secret [--config FILE]',
  summary: {
    en: 'Print the secret the monitor_bridge integration signs RPC requests with.',
    fr: 'Affiche le secret avec lequel l’intégration monitor_bridge signe les requêtes RPC.',
  },
  async run(args, io) {
    const { values } = parseArgs({ args, options: { config: { type: 'string', short: 'c' } } });
    const lang = resolveLang(undefined, io.env);
    const [{ ConfigError, loadConfigFile }, { loadOrCreateRpcSecret }] = await Promise.all([
      import('../../config/load.js'),
      import('../../mqtt/rpc-secret.js'),
    ]);
    let loaded: ReturnType<typeof loadConfigFile>;
    try {
      loaded = loadConfigFile(values.config, io.env, lang);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const p of err.problems) io.stderr(p);
      return 1;
    }
    const s = loadOrCreateRpcSecret(loaded.config.rpc.secret, loaded.config.data_dir);
    printJson(io, { secret: s.secret, source: s.source, ...(s.file ? { file: s.file } : {}) });
    return 0;
  },
};
