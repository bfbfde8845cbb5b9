import { resolveLang } from '../../core/i18n.js';
import { MODULES, RESERVED_SECTIONS } from '../../modules/index.js';
import { type Command, printJson } from '../types.js';

export const configCheck: Command = {
  path: ['config', 'check'],
  usage: 'monitor config check FILE [--offline]',
  summary: {
    en: 'Validate a configuration file; every problem as "path: problem".',
    fr: 'Vérifie un fichier de configuration ; chaque problème sous la forme « chemin : problème ».',
  },
  async run(args, io) {
    const lang = resolveLang(undefined, io.env);
    const offline = args.includes('--offline');
    const file = args.find((a) => a !== '--offline');
    if (!file) {
      io.stderr(lang === 'fr' ? 'usage : monitor config check FICHIER' : 'usage: monitor config check FILE');
      return 2;
    }
    const { ConfigError, loadConfigFile } = await import('../../config/load.js');
    try {
      const { config } = loadConfigFile(file, io.env, lang);
      const cfg = config as unknown as Record<string, unknown>;
      const sections = RESERVED_SECTIONS.filter((s) => cfg[s] !== undefined);
      const unavailable = sections.filter((s) => !MODULES[s]);
      // What only the broker can tell (issue 15): whether anyone may connect without
      // credentials. One anonymous connect, closed at once; nothing is published.
      const warnings: string[] = [];
      if (!offline) {
        const [{ probeAnonymous }, { mqttSettingsOf }] = await Promise.all([
          import('../../mqtt/anonymous-probe.js'),
          import('../../mqtt/settings.js'),
        ]);
        const probe = await probeAnonymous({ ...mqttSettingsOf(config), username: '', password: '' }, 3000);
        if (probe === 'accepted')
          warnings.push(
            lang === 'fr'
              ? 'mqtt.url : le broker accepte les clients anonymes : n’importe qui sur le réseau peut publier sur les sujets de Monitor et lire ses messages ; mettez allow_anonymous false et une ACL (docs/security.md)'
              : 'mqtt.url: the broker accepts anonymous clients: anyone on the network can publish to Monitor topics and read its messages; set allow_anonymous false and an ACL (docs/security.md)',
          );
      }
      for (const w of warnings) io.stderr(lang === 'fr' ? `avertissement : ${w}` : `warning: ${w}`);
      printJson(io, {
        ok: true,
        node_id: config.node_id,
        modules: sections.filter((s) => MODULES[s]),
        unavailable,
        warnings,
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
    const { configSchema } = await import('../../config/schema.js');
    io.stdout(JSON.stringify(configSchema));
    return 0;
  },
};
