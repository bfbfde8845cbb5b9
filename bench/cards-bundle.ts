/**
 * Where the bytes of the cards bundle go: the whole bundle (minified, gzip -9, brotli); then
 * what each source file costs inside it (the bundle rebuilt with a source map, each minified
 * character attributed to its source file, and the file's gzip cost measured as the gzip size
 * of the bundle minus that of the bundle without its characters: what removing it would save,
 * repetition with the rest included); then bundles of one part each built with the same rollup
 * config (Lit alone, the translations, the bundled icons, each card with what it needs, all
 * cards without their editors). Parts share Lit and the shared helpers, so they do not add up
 * to the total: the difference between "all" and "all without editors" is what the editors cost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import terserTyped from '@rollup/plugin-terser';
import { BUNDLE, ensureBundle, ROOT } from '../test/cards/helpers/harness.js';
import { figure } from './run.js';

const PARTS: Record<string, string> = {
  'Lit alone (one element)':
    "import { LitElement, html, css } from 'lit'; customElements.define('x-x', class extends LitElement { static styles = css`:host{}`; render() { return html`x`; } });",
  'translations fr + en':
    "import { en } from './translations/en.js'; import { fr } from './translations/fr.js'; console.log(en, fr);",
  'bundled icons (@mdi/js paths) + Lit': "import { ICONS } from './shared/icons.js'; console.log(ICONS);",
  'plan card + editor':
    "import './cards/plan-card/plan-card.js'; import './cards/plan-card/plan-card-editor.js';",
  'alarm card (HA form editor)': "import './cards/alarm-card/alarm-card.js';",
  'linky card (HA form editor)': "import './cards/linky-card/linky-card.js';",
  'printer card + editor':
    "import './cards/printer-card/printer-card.js'; import './cards/printer-card/printer-card-editor.js';",
  'all four cards, no custom editor':
    "import './cards/plan-card/plan-card.js'; import './cards/alarm-card/alarm-card.js'; import './cards/linky-card/linky-card.js'; import './cards/printer-card/printer-card.js';",
};

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
/** Gzip size at level 9 (what the goal and every figure below are in). */
const gz = (s: string | Buffer) => gzipSync(s, { level: 9 }).length;
/** Issue 14: the four cards with their editors, ≤ 40 KB gzip. */
const GOAL_BYTES = 40 * 1024;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The source index of every character of `code`, from a version-3 source map's `mappings`. */
function sourceOfEachChar(code: string, mappings: string): Int32Array {
  const owner = new Int32Array(code.length).fill(-1);
  const lines = code.split('\n');
  let source = 0;
  let offset = 0;
  mappings.split(';').forEach((line, li) => {
    const text = lines[li] ?? '';
    let column = 0;
    let lastColumn = 0;
    let lastSource = -1;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0] ?? 0;
      if (fields.length >= 4) source += fields[1] ?? 0;
      if (lastSource >= 0) owner.fill(lastSource, offset + lastColumn, offset + column);
      lastColumn = column;
      lastSource = fields.length >= 4 ? source : lastSource;
    }
    if (lastSource >= 0) owner.fill(lastSource, offset + lastColumn, offset + text.length);
    offset += text.length + 1;
  });
  return owner;
}

/** Groups of sources, as the rows of the attribution table. */
function groupOf(source: string): string {
  const path = source.replace(/^.*node_modules\//, 'node_modules/').replace(/^.*cards\/src\//, '');
  if (path.startsWith('node_modules/@mdi/')) return 'icons: @mdi/js paths';
  if (path.startsWith('node_modules/')) return 'Lit (lit-html, reactive-element, lit-element)';
  return path;
}

async function attribution(): Promise<void> {
  const { code, map } = await buildCards(undefined, true);
  if (!map) throw new Error('no source map');
  const owner = sourceOfEachChar(code, map.mappings);
  const total = gz(code);
  const groups = new Map<string, Set<number>>();
  map.sources.forEach((s, i) => {
    const g = groupOf(s);
    groups.set(g, (groups.get(g) ?? new Set()).add(i));
  });
  const rows = [...groups].map(([name, ids]) => {
    let kept = '';
    let own = 0;
    for (let i = 0; i < code.length; i++) {
      if (ids.has(owner[i] as number)) own++;
      else kept += code[i];
    }
    return { name, own, gzip: total - gz(kept) };
  });
  rows.sort((a, b) => b.gzip - a.gzip);
  for (const r of rows.slice(0, 24)) {
    figure(`  source: ${r.name}`, `${kb(r.own)} min, ${kb(r.gzip)} gzip`);
  }
  const rest = rows.slice(24);
  figure(
    `  source: ${rest.length} smaller files`,
    `${kb(rest.reduce((n, r) => n + r.own, 0))} min, ${kb(rest.reduce((n, r) => n + r.gzip, 0))} gzip`,
  );
}

type Plugin = { name: string };
// The package's types, read as CommonJS under NodeNext, hide that the ES default is the function.
const terser = terserTyped as unknown as (options: unknown) => Plugin;

async function buildCards(
  source: string | undefined,
  sourcemap = false,
  adapt: (plugins: Plugin[]) => Plugin[] = (p) => p,
): Promise<{ code: string; map?: { sources: string[]; mappings: string } }> {
  const { rollup } = await import('rollup');
  const configs = (await import(join(ROOT, 'rollup.config.mjs'))).default as {
    input: string;
    plugins: Plugin[];
    output: { file: string };
  }[];
  const cfg = configs.find((c) => c.output.file === 'dist/monitor-cards.js');
  if (!cfg) throw new Error('rollup.config.mjs has no cards bundle');
  const entry = join(ROOT, 'cards/src/__bench_entry.ts');
  // A virtual entry beside the sources, so its relative imports resolve like index.ts's.
  const virtual = {
    name: 'bench-entry',
    resolveId: (id: string) => (id === entry ? id : null),
    load: (id: string) => (id === entry ? source : null),
  };
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const input = source === undefined ? cfg.input : entry;
    const plugins = source === undefined ? adapt(cfg.plugins) : [virtual, ...adapt(cfg.plugins)];
    const bundle = await rollup({ ...cfg, input, plugins } as Parameters<typeof rollup>[0]);
    const { output } = await bundle.generate({ format: 'es', sourcemap });
    await bundle.close();
    return output[0] as { code: string; map?: { sources: string[]; mappings: string } };
  } finally {
    process.chdir(cwd);
  }
}

/** What each build step of rollup.config.mjs saves: the whole bundle rebuilt without it. */
async function buildSteps(total: number): Promise<void> {
  const { CARDS_TERSER } = (await import(join(ROOT, 'rollup.config.mjs'))) as {
    CARDS_TERSER: { mangle?: unknown };
  };
  const without = (name: string) => (plugins: Plugin[]) => plugins.filter((p) => p.name !== name);
  const steps: [string, (plugins: Plugin[]) => Plugin[]][] = [
    ['Lit template minifier (scripts/minify-templates.mjs)', without('minify-lit-templates')],
    ['French texts without keys (scripts/pack-translations.mjs)', without('pack-translations')],
    ['icon paths re-encoded (scripts/compact-icons.mjs)', without('compact-icons')],
    [
      'private _members renamed (terser mangle.properties)',
      (plugins) => plugins.map((p) => (p.name === 'terser' ? terser({ ...CARDS_TERSER, mangle: true }) : p)),
    ],
  ];
  for (const [name, adapt] of steps) {
    const { code } = await buildCards(undefined, false, adapt);
    const gzip = gz(code);
    figure(`  build step: ${name}`, `saves ${kb(gzip - total)} gzip (${kb(gzip)} without it)`);
  }
}

export async function run(): Promise<void> {
  await ensureBundle();
  const code = readFileSync(BUNDLE);
  figure('cards bundle, minified', kb(code.length));
  const gzip = gz(code);
  figure('cards bundle, gzip -9 (4 cards + editors + Lit)', kb(gzip), '≤ 40 KB');
  // What is still to cut (negative: under the goal), so a change's effect on the goal reads at once.
  figure('  still to cut for the 40 KB goal', kb(gzip - GOAL_BYTES));
  figure('cards bundle, brotli', kb(brotliCompressSync(code).length));
  await buildSteps(gzip);
  await attribution();
  for (const [name, source] of Object.entries(PARTS)) {
    const part = (await buildCards(source)).code;
    figure(`  part: ${name}`, `${kb(part.length)} min, ${kb(gz(part))} gzip`);
  }
}
