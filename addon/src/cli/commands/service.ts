/**
 * `monitor install-service`: runs Monitor as a systemd service on the Linux box beside the
 * modem, the meter or the printers (a Raspberry Pi): a dedicated system user in the `dialout`
 * group (serial ports), secrets in an EnvironmentFile beside the config (root-only, read by
 * systemd, referenced in the config as `${MQTT_PASSWORD}`), journals in systemd's
 * StateDirectory (/var/lib/monitor, 0700; Monitor finds it in $STATE_DIRECTORY), restart on
 * failure, and the hardening options that leave serial ports and the network usable.
 * `--dry-run` prints the unit and changes nothing; `--uninstall` stops, disables and removes
 * the unit and keeps the data, the config and the user (it says how to remove them).
 * Commands run through execFile with argument lists: no shell, nothing interpreted.
 */
import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile } from '../../config/load.js';
import { type Dictionaries, type Lang, resolveLang, translator } from '../../core/i18n.js';
import { VERSION } from '../../version.js';
import type { CliIO, Command } from '../types.js';

export const UNIT_NAME = 'monitor.service';
export const DEFAULT_CONFIG = '/etc/monitor/monitor.yaml';

const dict: Dictionaries = {
  en: {
    root: 'install-service changes the system: run it as root (sudo), or with --dry-run to see the unit',
    no_config: '{file}: no such configuration file (give one with --config FILE)',
    invalid: 'the configuration has problems; fix them first:',
    user_created: 'created the system user {user} (no login, no home)',
    user_group: 'added {user} to the dialout group (serial ports)',
    env_written: 'wrote {file} (0600, root only): put the secrets there ({names})',
    env_kept: 'kept {file}',
    config_mode: '{file} is now readable by {user} (root:{user}, 0640)',
    unit_written: 'wrote {file}',
    enabled: 'enabled and started {unit}: journalctl -u {unit} -f shows its log',
    home_warning:
      'warning: {file} is under /home, which the service reads only if {user} may (prefer /etc/monitor)',
    stopped: 'stopped and disabled {unit}, removed {file}',
    kept: 'kept the data in /var/lib/monitor, {config} and the user {user}: remove them by hand if wanted',
    not_installed: '{file} does not exist: nothing to uninstall',
    bad_user: '--user {user}: a system user name is lowercase letters, digits, "_" and "-"',
    bad_path: '{path}: the service needs a path without spaces, quotes or backslashes',
  },
  fr: {
    root: 'install-service modifie le système : lancez-le en root (sudo), ou avec --dry-run pour voir l’unité',
    no_config: '{file} : fichier de configuration introuvable (indiquez-le avec --config FICHIER)',
    invalid: 'la configuration a des problèmes ; corrigez-les d’abord :',
    user_created: 'utilisateur système {user} créé (sans connexion, sans dossier personnel)',
    user_group: '{user} ajouté au groupe dialout (ports série)',
    env_written: '{file} écrit (0600, root seulement) : mettez-y les secrets ({names})',
    env_kept: '{file} conservé',
    config_mode: '{file} est maintenant lisible par {user} (root:{user}, 0640)',
    unit_written: '{file} écrit',
    enabled: '{unit} activé et démarré : journalctl -u {unit} -f affiche son journal',
    home_warning:
      'attention : {file} est sous /home, que le service ne lit que si {user} y a accès (préférez /etc/monitor)',
    stopped: '{unit} arrêté et désactivé, {file} supprimé',
    kept: 'données dans /var/lib/monitor, {config} et l’utilisateur {user} conservés : supprimez-les à la main si besoin',
    not_installed: '{file} n’existe pas : rien à désinstaller',
    bad_user: '--user {user} : un nom d’utilisateur système s’écrit en minuscules, chiffres, « _ » et « - »',
    bad_path: '{path} : le service a besoin d’un chemin sans espaces, guillemets ni barres obliques inverses',
  },
};

export interface UnitOptions {
  node: string;
  entry: string;
  config: string;
  envFile: string;
  user: string;
}

/** The unit file. Every value is a path or a user name checked by the caller, never free text. */
export function systemdUnit(o: UnitOptions): string {
  return `# Written by \`monitor install-service\` (Monitor ${VERSION}); \`monitor install-service --uninstall\` removes it.
[Unit]
Description=Monitor: SMS, Linky meter and 3D printers for Home Assistant over MQTT
Documentation=https://github.com/monitor-ha/monitor
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=${o.user}
Group=${o.user}
# Serial ports (modem, TIC adapter) belong to the dialout group.
SupplementaryGroups=dialout
# Secrets referenced in the config as \${MQTT_PASSWORD}, \${HA_TOKEN}… (root-only file, read by systemd).
EnvironmentFile=-${o.envFile}
ExecStart=${o.node} ${o.entry} run --config ${o.config}
Restart=on-failure
RestartSec=5
# SIGTERM: Monitor flushes its journals and publishes offline.
TimeoutStopSec=20
# /var/lib/monitor, private; Monitor keeps its journals there (it reads $STATE_DIRECTORY).
StateDirectory=monitor
StateDirectoryMode=0700
UMask=0077

# Hardening. Not MemoryDenyWriteExecute (Node's JIT needs it), not PrivateDevices (serial ports).
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
CapabilityBoundingSet=
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
SystemCallArchitectures=native

[Install]
WantedBy=multi-user.target
`;
}

/**
 * A path as one ExecStart/EnvironmentFile word: `%` doubled (systemd specifiers), and refused when
 * it holds what would split or quote the line.
 */
export function systemdPath(path: string): string {
  if (!isSystemdSafe(path))
    throw new Error(`${JSON.stringify(path)}: a path without spaces or quotes is needed`);
  return path.replaceAll('%', '%%');
}

export function isSystemdSafe(path: string): boolean {
  return !/[\s"'\\;]/.test(path);
}

/** The installed package's root (the folder with bin/monitor.js), from the bundle or the sources. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'bin', 'monitor.js')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find bin/monitor.js above this module');
}

/** `${NAME}` references of a config file: the variables the EnvironmentFile must define. */
export function envReferences(configText: string): string[] {
  return [...new Set([...configText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string))];
}

/** `NAME=value` lines (systemd's EnvironmentFile syntax, without quotes handling beyond the basics). */
function readEnvFile(file: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (!existsSync(file)) return env;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) env[m[1] as string] = (m[2] as string).replace(/^(["'])(.*)\1$/, '$2');
  }
  return env;
}

function run(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function must(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export const installServiceCmd: Command = {
  path: ['install-service'],
  usage: 'monitor install-service [--config FILE] [--user NAME] [--dry-run] [--uninstall]',
  summary: {
    en: 'Install Monitor as a systemd service (dedicated user, dialout, hardening).',
    fr: 'Installe Monitor comme service systemd (utilisateur dédié, dialout, durcissement).',
  },
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c', default: DEFAULT_CONFIG },
        user: { type: 'string', default: 'monitor' },
        'dry-run': { type: 'boolean', default: false },
        uninstall: { type: 'boolean', default: false },
        // Where unit files go; for packaging and tests (like DESTDIR).
        'unit-dir': { type: 'string', default: '/etc/systemd/system' },
      },
    });
    const lang = resolveLang(undefined, io.env);
    const t = translator(dict, lang);
    const user = values.user;
    if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) {
      io.stderr(t('bad_user', { user: JSON.stringify(user) }));
      return 2;
    }
    const config = resolve(values.config);
    const envFile = join(dirname(config), 'monitor.env');
    const unitFile = join(values['unit-dir'], UNIT_NAME);
    const entry = realpathSync(join(packageRoot(), 'bin', 'monitor.js'));
    const paths = [realpathSync(process.execPath), entry, config, envFile];
    const unsafe = paths.find((p) => !isSystemdSafe(p));
    if (unsafe !== undefined) {
      io.stderr(t('bad_path', { path: JSON.stringify(unsafe) }));
      return 2;
    }
    const [node, entryPath, configPath, envPath] = paths.map(systemdPath) as [string, string, string, string];
    const unit = systemdUnit({ node, entry: entryPath, config: configPath, envFile: envPath, user });
    if (values['dry-run']) {
      io.stdout(unit.replace(/\n$/, ''));
      return 0;
    }
    // Writing the unit directory is what needs root (a packaging --unit-dir may not).
    try {
      accessSync(values['unit-dir'], constants.W_OK);
    } catch {
      io.stderr(t('root'));
      return 1;
    }
    const say = (line: string) => io.stdout(JSON.stringify({ done: line }));
    return values.uninstall
      ? uninstall(io, t, unitFile, config, user, say)
      : install(io, t, { unit, unitFile, config, envFile, user, say, lang });
  },
};

function install(
  io: CliIO,
  t: ReturnType<typeof translator>,
  o: {
    unit: string;
    unitFile: string;
    config: string;
    envFile: string;
    user: string;
    say: (l: string) => void;
    lang: Lang;
  },
): number {
  if (!existsSync(o.config)) {
    io.stderr(t('no_config', { file: o.config }));
    return 1;
  }
  try {
    loadConfigFile(o.config, { ...io.env, ...readEnvFile(o.envFile) }, o.lang);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // A variable still to be written in the env file is fine; any other problem is not.
    const real = err.problems.filter((p) => !/environment variable|variable d\u2019environnement/.test(p));
    if (real.length > 0) {
      io.stderr(t('invalid'));
      for (const p of real) io.stderr(`  ${p}`);
      return 1;
    }
  }
  if (!run('id', ['-u', o.user])) {
    must('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/var/lib/monitor',
      '--shell',
      '/usr/sbin/nologin',
      o.user,
    ]);
    o.say(t('user_created', { user: o.user }));
  }
  must('usermod', ['--append', '--groups', 'dialout', o.user]);
  o.say(t('user_group', { user: o.user }));
  // The service reads the config as its own user; secrets are in the env file, not here.
  must('chgrp', [o.user, o.config]);
  chmodSync(o.config, 0o640);
  o.say(t('config_mode', { file: o.config, user: o.user }));
  if (existsSync(o.envFile)) o.say(t('env_kept', { file: o.envFile }));
  else {
    const names = envReferences(readFileSync(o.config, 'utf8'));
    const lines = ['# Secrets for Monitor, read by systemd (monitor.service). NAME=value, one a line.'];
    writeFileSync(o.envFile, `${[...lines, ...names.map((n) => `${n}=`)].join('\n')}\n`, { mode: 0o600 });
    chmodSync(o.envFile, 0o600);
    o.say(t('env_written', { file: o.envFile, names: names.join(', ') || '—' }));
  }
  if (o.config.startsWith('/home/')) io.stderr(t('home_warning', { file: o.config, user: o.user }));
  writeFileSync(o.unitFile, o.unit, { mode: 0o644 });
  chmodSync(o.unitFile, 0o644);
  o.say(t('unit_written', { file: o.unitFile }));
  must('systemctl', ['daemon-reload']);
  must('systemctl', ['enable', '--now', UNIT_NAME]);
  o.say(t('enabled', { unit: UNIT_NAME }));
  return 0;
}

function uninstall(
  io: CliIO,
  t: ReturnType<typeof translator>,
  unitFile: string,
  config: string,
  user: string,
  say: (l: string) => void,
): number {
  if (!existsSync(unitFile)) {
    io.stderr(t('not_installed', { file: unitFile }));
    return 1;
  }
  run('systemctl', ['disable', '--now', UNIT_NAME]);
  rmSync(unitFile);
  must('systemctl', ['daemon-reload']);
  say(t('stopped', { unit: UNIT_NAME, file: unitFile }));
  say(t('kept', { config, user }));
  return 0;
}
