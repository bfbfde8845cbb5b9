/**
 * `monitor`: dispatches to the command whose path matches the first words of the arguments.
 * Exit codes: 0 ok, 1 failure (reported), 2 usage error.
 */
import { resolveLang } from '../core/i18n.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import type { CliIO, Command } from './types.js';

export function findCommand(args: string[]): { cmd: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of COMMANDS) {
    if (c.path.every((w, i) => args[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { cmd: best, rest: args.slice(best.path.length) } : undefined;
}

/** Help lines stay within this many columns (a terminal, a Pi's console). */
export const HELP_WIDTH = 100;

/** Words of `text` on lines of at most HELP_WIDTH columns, each starting with `indent`. */
export function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > indent.length && line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = indent;
    }
    line += line.length > indent.length ? ` ${word}` : word;
  }
  if (line.length > indent.length) lines.push(line);
  return lines;
}

/** One command: its usage, then its summary below it, indented. */
export function commandHelp(c: Command, lang: 'en' | 'fr'): string[] {
  return [...wrap(c.usage, '  '), ...wrap(c.summary[lang], '      ')];
}

export function helpText(lang: 'en' | 'fr'): string {
  const lines = [
    lang === 'fr'
      ? `monitor ${VERSION} — Monitor pour Home Assistant`
      : `monitor ${VERSION} — Monitor for Home Assistant`,
    '',
    lang === 'fr' ? 'Commandes :' : 'Commands:',
  ];
  for (const c of COMMANDS) lines.push(...commandHelp(c, lang));
  lines.push('', lang === 'fr' ? 'Options : --help, --version' : 'Options: --help, --version');
  return lines.join('\n');
}

export async function main(argv: string[], io?: Partial<CliIO>): Promise<number> {
  const full: CliIO = {
    stdout: io?.stdout ?? ((l) => process.stdout.write(`${l}\n`)),
    stderr: io?.stderr ?? ((l) => process.stderr.write(`${l}\n`)),
    stdin: io?.stdin ?? process.stdin,
    env: io?.env ?? process.env,
  };
  const lang = resolveLang(undefined, full.env);
  if (argv[0] === '--version' || argv[0] === '-v') {
    full.stdout(VERSION);
    return 0;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    full.stdout(helpText(lang));
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    full.stderr(
      lang === 'fr' ? `commande inconnue : ${argv.join(' ')}` : `unknown command: ${argv.join(' ')}`,
    );
    full.stderr(helpText(lang));
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    full.stdout(
      [...wrap(`usage: ${found.cmd.usage}`, ''), ...wrap(found.cmd.summary[lang], '  ')].join('\n'),
    );
    return 0;
  }
  try {
    return await found.cmd.run(found.rest, full);
  } catch (err) {
    full.stderr(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
