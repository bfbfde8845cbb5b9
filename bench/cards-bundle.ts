/**
 * Where the bytes of the cards bundle go: the whole bundle (minified, gzip -9, brotli), then
 * bundles of one part each built with the same rollup config (Lit alone, the translations, the
 * bundled icons, each card with what it needs, all cards without their editors). Parts share
 * Lit and the shared helpers, so they do not add up to the total: the difference between
 * "all" and "all without editors" is what the editors cost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
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

async function buildPart(source: string): Promise<string> {
  const { rollup } = await import('rollup');
  const configs = (await import(join(ROOT, 'rollup.config.mjs'))).default as {
    input: string;
    plugins: unknown[];
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
    const bundle = await rollup({ ...cfg, input: entry, plugins: [virtual, ...cfg.plugins] } as Parameters<
      typeof rollup
    >[0]);
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    return (output[0] as { code: string }).code;
  } finally {
    process.chdir(cwd);
  }
}

export async function run(): Promise<void> {
  await ensureBundle();
  const code = readFileSync(BUNDLE);
  figure('cards bundle, minified', kb(code.length));
  figure(
    'cards bundle, gzip -9 (4 cards + editors + Lit)',
    kb(gzipSync(code, { level: 9 }).length),
    '≤ 40 KB',
  );
  figure('cards bundle, brotli', kb(brotliCompressSync(code).length));
  for (const [name, source] of Object.entries(PARTS)) {
    const part = await buildPart(source);
    figure(`  part: ${name}`, `${kb(part.length)} min, ${kb(gzipSync(part, { level: 9 }).length)} gzip`);
  }
}
