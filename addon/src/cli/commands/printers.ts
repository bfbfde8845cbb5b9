/** `monitor printers probe URL [--api-key K] [--type T] [--timeout S]`: one JSON status line. */
import { parseArgs } from 'node:util';
import { resolveLang, translator } from '../../core/i18n.js';
import { isLogLevel, LoggerRoot } from '../../core/logger.js';
import { printersDict } from '../../modules/printers/i18n.js';
import type { SourceType } from '../../modules/printers/model.js';
import { type Command, printJson } from '../types.js';

const TYPES: SourceType[] = ['octoprint', 'moonraker', 'prometheus'];

export const printersProbeCmd: Command = {
  path: ['printers', 'probe'],
  usage: 'monitor printers probe URL [--api-key KEY] [--type octoprint|moonraker|prometheus] [--timeout S]',
  summary: {
    en: printersDict.en.cli_summary as string,
    fr: printersDict.fr.cli_summary as string,
  },
  async run(args, io) {
    const t = translator(printersDict, resolveLang(undefined, io.env));
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (err) {
      io.stderr(err instanceof Error ? err.message : String(err));
      io.stderr(t('cli_usage'));
      return 2;
    }
    const { values, positionals } = parsed;
    const url = positionals[0];
    if (!url) {
      io.stderr(t('cli_usage'));
      return 2;
    }
    if (!/^https?:\/\/\S+$/.test(url)) {
      io.stderr(t('cli_bad_url', { url }));
      return 2;
    }
    const type = values.type as SourceType | undefined;
    if (type !== undefined && !TYPES.includes(type)) {
      io.stderr(t('cli_bad_type', { type }));
      return 2;
    }
    const apiKey = values['api-key'] ?? io.env.MONITOR_PRINTER_API_KEY ?? '';
    const envLevel = io.env.MONITOR_LOG_LEVEL;
    const root = new LoggerRoot({ level: isLogLevel(envLevel) ? envLevel : 'warn' });
    root.secrets.add(apiKey);
    const timeout = Number(values.timeout ?? '5');
    const { probePrinter } = await import('../../modules/printers/probe.js');
    const result = await probePrinter({
      url,
      apiKey,
      type,
      timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 5000,
      log: root.logger('printers'),
    });
    printJson(io, result);
    if (!result.type) {
      io.stderr(t('cli_detect_failed', { url: result.url }));
      return 1;
    }
    return result.status?.online && result.status.problem === null ? 0 : 1;
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      'api-key': { type: 'string' },
      type: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
}
