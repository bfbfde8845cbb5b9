/**
 * `monitor users list|add|remove|rename|set-pin|set-phones|add-badge|remove-badge|enable|disable`
 * on the registry file, for a Raspberry Pi without Home Assistant. Output: JSON lines. A PIN
 * is never taken from the command line (it would stay in the shell history and `ps`): it is
 * read from a prompt without echo on a terminal, or from stdin (one line per PIN).
 */

import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../config/load.js';
import { type Lang, resolveLang } from '../../core/i18n.js';
import { LoggerRoot } from '../../core/logger.js';
import type { UserRegistry } from '../../modules/users/registry.js';
import { type CliIO, type Command, printJson } from '../types.js';

const COMMON = {
  file: { type: 'string' },
  config: { type: 'string' },
} as const;

interface Opened {
  reg: UserRegistry;
  lang: Lang;
}

async function open(values: { file?: string; config?: string }, io: CliIO): Promise<Opened | string> {
  const lang = resolveLang(undefined, io.env);
  const { openRegistry, REGISTRY_NAME, registryStore } = await import('../../modules/users/files.js');
  let path = values.file;
  let minPinLength = 4;
  let defaultCountry = 'FR';
  if (!path && values.config) {
    const { config } = loadConfigFile(values.config, io.env, lang);
    path = join(config.data_dir, 'users', `${REGISTRY_NAME}.json`);
    minPinLength = config.users?.min_pin_length ?? 4;
    defaultCountry = config.users?.default_country ?? 'FR';
  }
  if (!path)
    return lang === 'fr'
      ? 'donnez --file REGISTRE ou --config FICHIER'
      : 'give --file REGISTRY or --config FILE';
  // The outcome (a corrupt file kept aside included) is the JSON line.
  const log = new LoggerRoot({ level: 'silent' }).logger('users');
  const reg = openRegistry(registryStore(path, log), { minPinLength, defaultCountry, lang });
  const r = await reg.load();
  if (r.status === 'corrupt') return `${path}: ${r.reason}; kept aside as ${r.movedTo}`;
  return { reg, lang };
}

/** Lines from stdin when it is not a terminal; a prompt without echo when it is. */
class PinReader {
  private lines: string[] | undefined;

  constructor(private readonly io: CliIO) {}

  async next(prompt: string): Promise<string> {
    const stdin = this.io.stdin as NodeJS.ReadStream;
    if (stdin.isTTY) return this.prompt(stdin, prompt);
    if (!this.lines) {
      this.lines = [];
      for await (const line of createInterface({ input: stdin })) this.lines.push(line.trim());
    }
    return this.lines.shift() ?? '';
  }

  private prompt(stdin: NodeJS.ReadStream, prompt: string): Promise<string> {
    return new Promise((resolve) => {
      process.stderr.write(prompt);
      let s = '';
      stdin.setRawMode(true);
      stdin.resume();
      const onData = (b: Buffer) => {
        for (const ch of b.toString('utf8')) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004' || ch === '\u0003') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            process.stderr.write('\n');
            resolve(ch === '\u0003' ? '' : s);
            return;
          }
          if (ch === '\u007f') s = s.slice(0, -1);
          else s += ch;
        }
      };
      stdin.on('data', onData);
    });
  }
}

type Sub = {
  name: string;
  usage: string;
  en: string;
  fr: string;
  options?: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  positionals: number;
  run(
    reg: UserRegistry,
    pos: string[],
    values: Record<string, unknown>,
    pins: PinReader,
    fr: boolean,
  ): Promise<unknown>;
};

const SUBS: Sub[] = [
  {
    name: 'list',
    usage: '',
    en: 'List the users (one JSON line each, never PIN material).',
    fr: 'Liste les utilisateurs (une ligne JSON chacun, jamais de code).',
    positionals: 0,
    run: async (reg) => reg.list(),
  },
  {
    name: 'add',
    usage: 'USERNAME [--uid UID] [--phone NUM]… [--rights arm,disarm,admin] [--pin] [--duress-pin]',
    en: 'Add a user; --pin / --duress-pin read the PIN from a prompt or stdin.',
    fr: 'Ajoute un utilisateur ; --pin / --duress-pin lisent le code à l’invite ou sur stdin.',
    options: {
      uid: { type: 'string' },
      phone: { type: 'string', multiple: true },
      rights: { type: 'string' },
      pin: { type: 'boolean' },
      'duress-pin': { type: 'boolean' },
    },
    positionals: 1,
    run: async (reg, [username], v, pins, fr) => {
      const pin = v.pin ? await pins.next(fr ? 'Code : ' : 'PIN: ') : undefined;
      const duress = v['duress-pin']
        ? await pins.next(fr ? 'Code sous contrainte : ' : 'Duress PIN: ')
        : undefined;
      return {
        user: await reg.add({
          username,
          ...(v.uid !== undefined ? { uid: v.uid } : {}),
          ...(v.phone !== undefined ? { phones: v.phone } : {}),
          ...(v.rights !== undefined ? { rights: v.rights } : {}),
          ...(pin !== undefined ? { pin } : {}),
          ...(duress !== undefined ? { duress_pin: duress } : {}),
        }),
      };
    },
  },
  {
    name: 'remove',
    usage: 'USERNAME',
    en: 'Remove a user.',
    fr: 'Supprime un utilisateur.',
    positionals: 1,
    run: async (reg, [u]) => ({ removed: await reg.remove(u) }),
  },
  {
    name: 'rename',
    usage: 'USERNAME NEW_USERNAME',
    en: 'Rename a user (PIN, phones and badges follow).',
    fr: 'Renomme un utilisateur (code, téléphones et badges suivent).',
    positionals: 2,
    run: async (reg, [u, n]) => ({ user: await reg.rename(u, n) }),
  },
  {
    name: 'set-pin',
    usage: 'USERNAME [--duress]',
    en: 'Set the PIN (and with --duress the duress PIN), read from a prompt or stdin.',
    fr: 'Change le code (et avec --duress le code sous contrainte), lu à l’invite ou sur stdin.',
    options: { duress: { type: 'boolean' } },
    positionals: 1,
    run: async (reg, [u], v, pins, fr) => {
      const pin = await pins.next(fr ? 'Code : ' : 'PIN: ');
      const duress = v.duress ? await pins.next(fr ? 'Code sous contrainte : ' : 'Duress PIN: ') : undefined;
      return { user: await reg.setPin(u, pin, duress) };
    },
  },
  {
    name: 'set-phones',
    usage: 'USERNAME [NUM…]',
    en: 'Replace the phone numbers of a user.',
    fr: 'Remplace les numéros de téléphone d’un utilisateur.',
    positionals: -1,
    run: async (reg, [u, ...phones]) => ({ user: await reg.setPhones(u, phones) }),
  },
  {
    name: 'add-badge',
    usage: 'USERNAME UID',
    en: 'Give a badge (RFID/NFC uid, hex or decimal) to a user.',
    fr: 'Donne un badge (uid RFID/NFC, hexadécimal ou décimal) à un utilisateur.',
    positionals: 2,
    run: async (reg, [u, uid]) => ({ user: await reg.addBadge(u, uid) }),
  },
  {
    name: 'remove-badge',
    usage: 'USERNAME UID',
    en: 'Take a badge back.',
    fr: 'Retire un badge.',
    positionals: 2,
    run: async (reg, [u, uid]) => ({ user: await reg.removeBadge(u, uid) }),
  },
  {
    name: 'enable',
    usage: 'USERNAME',
    en: 'Enable a user.',
    fr: 'Active un utilisateur.',
    positionals: 1,
    run: async (reg, [u]) => ({ user: await reg.setEnabled(u, true) }),
  },
  {
    name: 'disable',
    usage: 'USERNAME',
    en: 'Disable a user (kept, refused everywhere).',
    fr: 'Désactive un utilisateur (conservé, refusé partout).',
    positionals: 1,
    run: async (reg, [u]) => ({ user: await reg.setEnabled(u, false) }),
  },
];

function command(sub: Sub): Command {
  const usage = `monitor users ${sub.name} (--file REGISTRY | --config FILE) ${sub.usage}`.trim();
  return {
    path: ['users', sub.name],
    usage,
    summary: { en: sub.en, fr: sub.fr },
    async run(args, io) {
      const fr = resolveLang(undefined, io.env) === 'fr';
      let parsed: ReturnType<typeof parseArgs>;
      try {
        parsed = parseArgs({
          args,
          allowPositionals: true,
          strict: true,
          options: { ...COMMON, ...(sub.options ?? {}) },
        });
      } catch (err) {
        io.stderr((err as Error).message);
        io.stderr(fr ? `usage : ${usage}` : `usage: ${usage}`);
        return 2;
      }
      const pos = parsed.positionals;
      if (
        (sub.positionals >= 0 && pos.length !== sub.positionals) ||
        (sub.positionals < 0 && pos.length < 1)
      ) {
        io.stderr(fr ? `usage : ${usage}` : `usage: ${usage}`);
        return 2;
      }
      const opened = await open(parsed.values as { file?: string; config?: string }, io);
      if (typeof opened === 'string') {
        io.stderr(opened);
        printJson(io, { ok: false, error: opened });
        return 1;
      }
      try {
        const out = await sub.run(opened.reg, pos as string[], parsed.values, new PinReader(io), fr);
        if (Array.isArray(out)) for (const u of out) printJson(io, u);
        else printJson(io, { ok: true, ...(out as object) });
        return 0;
      } catch (err) {
        const { RegistryError } = await import('../../modules/users/registry.js');
        if (!(err instanceof RegistryError)) throw err;
        io.stderr(err.message);
        printJson(io, { ok: false, code: err.code, error: err.message });
        return 1;
      }
    },
  };
}

export const USERS_COMMANDS: Command[] = SUBS.map(command);
