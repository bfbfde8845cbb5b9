import { ConfigError, loadConfigFile } from '../../config/load.js';
import { configSchema } from '../../config/schema.js';
import { resolveLang } from '../../core/i18n.js';
import { MODULES, RESERVED_SECTIONS } from '../../modules/index.js';
import { type Command, printJson } from '../types.js';

export const configCheck: Command = {
  path: ['config', 'check'],
  usage: 'monitor config check FILE',
  summary: {
    en: 'Validate a configuration file; every problem as "path: problem".',
    fr: 'Vérifie un fichier de configuration ; chaque problème sous la forme « chemin : problème ».',
  },
  async run(args, io) {
    const lang = resolveLang(undefined, io.env);
    const file = args[0];
    if (!file) {
      io.stderr(lang === 'fr' ? 'usage : monitor config check FICHIER' : 'usage: monitor config check FILE');
      return 2;
    }
    try {
      const { config } = loadConfigFile(file, io.env, lang);
      const cfg = config as unknown as Record<string, unknown>;
      const sections = RESERVED_SECTIONS.filter((s) => cfg[s] !== undefined);
      const unavailable = sections.filter((s) => !MODULES[s]);
      printJson(io, {
        ok: true,
        node_id: config.node_id,
        modules: sections.filter((s) => MODULES[s]),
        unavailable,
      });
      return 0;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const p of err.problems) io.stderr(p);
      printJson(io, { ok: false, problems: err.problems });
      return 1;
    }
  },
};

export const configSchemaCmd: Command = {
  path: ['config', 'schema'],
  usage: 'monitor config schema',
  summary: { en: 'Print the configuration JSON Schema.', fr: 'Affiche le schéma JSON de la configuration.' },
  async run(_args, io) {
    io.stdout(JSON.stringify(configSchema));
    return 0;
  },
};
