/**
 * The cards bundle's build plugins (scripts/*.mjs) shrink the bundle without changing what it
 * does: each test builds real sources with the same rollup plugins as rollup.config.mjs and
 * compares the result, loaded as a module, with the sources loaded directly.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import { parseAst } from 'rollup/parseAst';
import esbuild from 'rollup-plugin-esbuild';
import { en } from '../../cards/src/translations/en.js';
import { fr } from '../../cards/src/translations/fr.js';
// @ts-expect-error: a plain JavaScript build plugin, without types
import { absoluteSegments, compactIcons, compactPath } from '../../scripts/compact-icons.mjs';
// @ts-expect-error: a plain JavaScript build plugin, without types
import { packFrench, packTranslations } from '../../scripts/pack-translations.mjs';
import { type Browser, launchBrowser, ROOT } from './helpers/harness.js';

/** Every icon of @mdi/js (the CommonJS build: the same paths as the ES one). */
const MDI = createRequire(import.meta.url)('@mdi/js') as Record<string, string>;
/** The icons the bundle imports (cards/src/shared/icons.ts). */
const BUNDLED = [
  ...readFileSync(`${ROOT}/cards/src/shared/icons.ts`, 'utf8').matchAll(/^ {2}(mdi\w+),$/gm),
].map((m) => m[1] as string);

/** Bundles `source` (a virtual entry inside cards/src) with esbuild and the given plugins. */
async function build(
  source: string,
  plugins: unknown[],
): Promise<{ code: string; built: Record<string, unknown> }> {
  const entry = `${ROOT}/cards/src/__build_test_entry.ts`;
  const bundle = await rollup({
    input: entry,
    plugins: [
      {
        name: 'entry',
        resolveId: (id: string) => (id === entry ? id : null),
        load: (id: string) => (id === entry ? source : null),
      },
      nodeResolve({ browser: true }),
      esbuild({ target: 'es2021', tsconfig: `${ROOT}/tsconfig.json` }),
      ...plugins,
    ] as Parameters<typeof rollup>[0]['plugins'],
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const code = (output[0] as { code: string }).code;
  return { code, built: await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`) };
}

describe('cards build: French texts packed without their keys', () => {
  it('gives the bundle the same French texts as the source, and only as a list', async () => {
    const { code, built } = await build(
      "export { en } from './translations/en.js'; export { fr } from './translations/fr.js';",
      [packTranslations()],
    );
    assert.deepEqual(built.fr, fr);
    assert.deepEqual(built.en, en);
    assert.deepEqual(
      Object.keys(built.fr as object),
      Object.keys(en).filter((k) => k in fr),
    );
    // Each key is written once in the bundle (en's), not again for French.
    for (const key of ['common.unknown', 'editor.pick_position', 'printer.state.printing']) {
      assert.equal(code.split(`"${key}"`).length + code.split(`'${key}'`).length - 2, 1, key);
    }
  });

  it('leaves a text French lacks absent, so the English one is shown', () => {
    const texts = packFrench(
      parseAst("export const en = { 'a.b': 'A', 'c.d': 'C {n}', 'e': 'E' };"),
      parseAst("export const fr = { 'e': 'É', 'a.b': 'À' };"),
    );
    assert.deepEqual(texts, ['À', undefined, 'É']);
  });

  it('stops the build on a French key English does not have, or a text that is not a plain string', () => {
    const enAst = parseAst("export const en = { 'a.b': 'A' };");
    assert.throws(
      () => packFrench(enAst, parseAst("export const fr = { 'a.c': 'typo' };")),
      /a\.c is not an English key/,
    );
    assert.throws(() => packFrench(enAst, parseAst("export const fr = { 'a.b': `x${1}` };")), /plain string/);
  });
});

describe('cards build: icon paths re-encoded shorter, same points', () => {
  it('keeps every point of all 7,000 @mdi/js icons, exactly', () => {
    let before = 0;
    let afterCompaction = 0;
    for (const [name, d] of Object.entries(MDI)) {
      const compact = compactPath(d);
      assert.deepEqual(absoluteSegments(compact), absoluteSegments(d), name);
      before += d.length;
      afterCompaction += compact.length;
    }
    assert.ok(afterCompaction < before * 0.9, `${afterCompaction} of ${before} characters`);
  });

  it('reads relative commands, implicit repetitions and closed sub-paths like SVG does', () => {
    // m then implicit l, H/V relative, z returning to the sub-path start, then a relative m.
    assert.deepEqual(absoluteSegments('m1 2 3 4h1v-1zm1 1l.5.5'), [
      ['M', [100_000_000, 200_000_000]],
      ['L', [400_000_000, 600_000_000]],
      ['H', [500_000_000]],
      ['V', [500_000_000]],
      ['Z', []],
      ['M', [200_000_000, 300_000_000]],
      ['L', [250_000_000, 350_000_000]],
    ]);
  });

  it('ships the bundled icons re-encoded', async () => {
    const { built } = await build("export { mdiShieldHome, mdiFan } from '@mdi/js';", [compactIcons()]);
    assert.equal(built.mdiShieldHome, compactPath(MDI.mdiShieldHome));
    assert.notEqual(built.mdiShieldHome, MDI.mdiShieldHome);
    assert.equal(built.mdiFan, compactPath(MDI.mdiFan));
  });

  describe('in Chromium', () => {
    let browser: Browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    it('draws each bundled icon the same: length, box and points along the outline', async () => {
      const page = await browser.context.newPage();
      const pairs = BUNDLED.map((name) => [name, MDI[name] as string, compactPath(MDI[name]) as string]);
      const differences = await page.evaluate((list) => {
        const ns = 'http://www.w3.org/2000/svg';
        const svg = document.createElementNS(ns, 'svg');
        document.body.append(svg);
        // No helper function in here: tsx would wrap it in a `__name` the page does not have.
        const out: string[] = [];
        for (const [name, ...paths] of list) {
          const measures: number[][] = [];
          for (const d of paths) {
            const p = document.createElementNS(ns, 'path');
            p.setAttribute('d', d as string);
            svg.append(p);
            const length = p.getTotalLength();
            const box = p.getBBox();
            const m = [length, box.x, box.y, box.width, box.height];
            for (let i = 0; i <= 50; i++) {
              const pt = p.getPointAtLength((length * i) / 50);
              m.push(pt.x, pt.y);
            }
            measures.push(m);
          }
          const [a = [], b = []] = measures;
          const worst = Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
          if (!(worst < 1e-3)) out.push(`${name}: ${worst}`);
        }
        return out;
      }, pairs);
      assert.equal(pairs.length, BUNDLED.length);
      assert.ok(BUNDLED.length >= 10, `only ${BUNDLED.length} bundled icons found`);
      assert.deepEqual(differences, []);
      await page.close();
    });
  });
});

describe('cards build: private members renamed by terser', () => {
  /** Every TypeScript source of the cards. */
  function sources(dir = `${ROOT}/cards/src`): string[] {
    return readdirSync(dir).flatMap((n) => {
      const p = `${dir}/${n}`;
      return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
    });
  }

  it('names no `_member` in a string: terser renames the property, not the string', () => {
    // e.g. `changed.has('_box')` or `static properties = { '_box': … }` would silently break.
    const members = new Set<string>();
    const strings: string[] = [];
    for (const file of sources()) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:private|protected)\s+(?:readonly\s+|async\s+)*(_[a-z]\w*)/g)) {
        members.add(m[1] as string);
      }
      for (const m of text.matchAll(/['"`](_[a-z]\w*)['"`]/g)) strings.push(`${file}: ${m[1]}`);
    }
    assert.ok(members.size > 50, `${members.size} private members found`);
    assert.deepEqual(
      strings.filter((s) => members.has(s.split(': ')[1] as string)),
      [],
    );
  });
});
