/**
 * Phone-number figures (printed, never asserted): what libphonenumber-js costs with its `min`
 * metadata (lengths only) and its `max` metadata (digit ranges, the one phone.ts imports), as
 * the add-on bundle carries it (minified, ESM, node20: bytes and gzip), the resident memory a
 * node process gains by loading it, and how many numbers per second `normalizeNumber` parses.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { normalizeNumber } from '../addon/src/modules/sms/phone.js';
import { ROOT } from '../test/helpers/build.js';
import { figure } from './run.js';

const VARIANTS = ['min', 'max'] as const;

/** One minified bundle per metadata set, as rollup's esbuild minifier would emit it. */
async function bundle(dir: string, variant: (typeof VARIANTS)[number]): Promise<string> {
  const file = join(dir, `${variant}.mjs`);
  await build({
    stdin: {
      contents: `import { parsePhoneNumberFromString } from 'libphonenumber-js/${variant}';\nglobalThis.phone = parsePhoneNumberFromString('06 12 34 56 78', 'FR')?.number;`,
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: file,
    logLevel: 'error',
  });
  return file;
}

/** RSS in kB of a fresh node process after importing `file` and collecting garbage (median of 5). */
function rssAfterImport(file: string): number {
  const script = `await import(${JSON.stringify(file)}); globalThis.gc();
process.stdout.write(/^Rss:\\s+(\\d+)/m.exec(require('node:fs').readFileSync('/proc/self/smaps_rollup','utf8'))[1]);`;
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', cjsShim(script)], {
      encoding: 'utf8',
    });
    samples.push(Number(r.stdout));
  }
  return samples.sort((a, b) => a - b)[2] as number;
}

const cjsShim = (s: string) =>
  `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${s}`;

function normaliseThroughput(): number {
  const inputs = [
    '06 12 34 56 78',
    '+33 6 12 34 56 78',
    '0033612345678',
    '+41 79 123 45 67',
    'Orange',
    '36179',
  ];
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    for (const raw of inputs) normalizeNumber(raw, 'FR');
    n += inputs.length;
  }
  return n / ((performance.now() - t0) / 1000);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'monitor-bench-phone-'));
  try {
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, 'globalThis.phone = 1;\n');
    const base = rssAfterImport(empty);
    for (const variant of VARIANTS) {
      const file = await bundle(dir, variant);
      const bytes = readFileSync(file);
      figure(
        `libphonenumber-js/${variant}: bundled size`,
        `${(bytes.length / 1024).toFixed(1)} kB (gzip ${(gzipSync(bytes).length / 1024).toFixed(1)} kB)`,
      );
      figure(
        `libphonenumber-js/${variant}: RSS added to a node process`,
        `${rssAfterImport(file) - base} kB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  figure('normalizeNumber (max metadata, mixed inputs)', `${Math.round(normaliseThroughput())} numbers/s`);
}
