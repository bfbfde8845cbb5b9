/**
 * `monitor tic parse` and `monitor tic probe`: the Linky TIC decoder from the command line.
 * parse: raw TIC bytes (a capture, `cat /dev/ttyUSB0 > file`, or stdin) → one JSON line per frame
 *   {mode, meter, groups: {LABEL: value | {value, date}}, invalid: [labels], derived: {…}}.
 * probe: finds a port's speed and mode, prints a few decoded frames and the checksum error rate.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolveLang } from '../../core/i18n.js';
import type { openTicLine } from '../../modules/linky/meter.js';
import type { TicFrame } from '../../modules/linky/tic/decoder.js';
import { type CliIO, type Command, printJson } from '../types.js';

/** The decoder and derivations, loaded when a `tic` command runs (commands/index.ts says why). */
async function loadTic() {
  const [decoder, { deriveValues }] = await Promise.all([
    import('../../modules/linky/tic/decoder.js'),
    import('../../modules/linky/tic/derive.js'),
  ]);
  const frameJson = (f: TicFrame): Record<string, unknown> => {
    const groups: Record<string, unknown> = {};
    for (const [label, v] of Object.entries(f.values))
      groups[label] = v.date ? { value: v.value, date: v.date.iso } : v.value;
    return { mode: f.mode, meter: f.meter ?? null, groups, invalid: f.invalid, derived: deriveValues(f) };
  };
  return { ...decoder, frameJson };
}

const MODES = ['auto', 'historic', 'standard'] as const;

export const ticParse: Command = {
  path: ['tic', 'parse'],
  usage: 'monitor tic parse [--mode auto|historic|standard] [FILE|-]',
  summary: {
    en: 'Decode raw Linky TIC bytes: one JSON line per frame (groups, invalid, derived values).',
    fr: 'Décode des octets TIC bruts du Linky : une ligne JSON par trame (groupes, invalides, valeurs dérivées).',
  },
  async run(args, io: CliIO) {
    const fr = resolveLang(undefined, io.env) === 'fr';
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { mode: { type: 'string', default: 'auto' } },
    });
    const mode = values.mode as (typeof MODES)[number];
    if (!MODES.includes(mode)) {
      io.stderr(
        fr
          ? `--mode : auto, historic ou standard (reçu « ${values.mode} »)`
          : `--mode: auto, historic or standard (got "${values.mode}")`,
      );
      return 2;
    }
    const file = positionals[0] ?? '-';
    const { decodeTic, initialDecoderState, frameJson } = await loadTic();
    let state = initialDecoderState({ mode });
    const emit = (chunk: Buffer) => {
      const r = decodeTic(state, chunk);
      state = r.state;
      for (const f of r.frames) printJson(io, frameJson(f));
    };
    if (file === '-') {
      for await (const c of io.stdin) emit(typeof c === 'string' ? Buffer.from(c, 'latin1') : (c as Buffer));
    } else {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        io.stderr(`${file}: ${(err as Error).message}`);
        return 1;
      }
      emit(bytes);
    }
    if (state.stats.frames === 0) {
      io.stderr(
        fr ? 'aucune trame TIC complète (STX … ETX) trouvée' : 'no complete TIC frame (STX … ETX) found',
      );
      return 1;
    }
    return 0;
  },
};

export const ticProbe: Command = {
  path: ['tic', 'probe'],
  usage: 'monitor tic probe --port DEV [--seconds N]',
  summary: {
    en: 'Find the TIC speed and mode on a serial port; print a few frames and the checksum error rate.',
    fr: 'Trouve la vitesse et le mode TIC d’un port série ; affiche quelques trames et le taux d’erreurs.',
  },
  async run(args, io) {
    const fr = resolveLang(undefined, io.env) === 'fr';
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string' }, seconds: { type: 'string', default: '5' } },
    });
    if (!values.port) {
      io.stderr(fr ? 'usage : monitor tic probe --port PÉRIPHÉRIQUE' : 'usage: monitor tic probe --port DEV');
      return 2;
    }
    const [{ frameJson }, { probe }, { openTicLine }] = await Promise.all([
      loadTic(),
      import('../../modules/linky/detect.js'),
      import('../../modules/linky/meter.js'),
    ]);
    let t: ReturnType<typeof openTicLine>;
    try {
      t = openTicLine(values.port, 1200);
      await t.open();
    } catch (err) {
      io.stderr(
        fr
          ? `impossible d’ouvrir ${values.port} : ${(err as Error).message} (droits : groupe dialout ?)`
          : `cannot open ${values.port}: ${(err as Error).message} (permissions: dialout group?)`,
      );
      return 1;
    }
    try {
      const r = await probe(t, { windowMs: Number(values.seconds) * 1000 });
      if (!r) {
        io.stderr(
          fr
            ? 'aucune trame valide à 1200 ni à 9600 bauds : vérifiez le câblage (bornes I1/I2) et que la TIC est active'
            : 'no valid frame at 1200 or 9600 baud: check the wiring (terminals I1/I2) and that the TIC is enabled',
        );
        printJson(io, { found: false, port: values.port });
        return 1;
      }
      for (const f of r.frames) printJson(io, frameJson(f));
      printJson(io, {
        found: true,
        port: values.port,
        baud: r.baud,
        mode: r.mode,
        frames: r.frames.length,
        groups: r.groups,
        invalid_groups: r.invalidGroups,
        checksum_error_rate: Number(r.errorRate.toFixed(4)),
      });
      return 0;
    } finally {
      await t.close();
    }
  },
};
