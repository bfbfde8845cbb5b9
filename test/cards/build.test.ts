/**
 * The cards bundle's build plugins (scripts/*.mjs) shrink the bundle without changing what it
 * does: each test builds real sources with the same rollup plugins as rollup.config.mjs and
 * compares the result, loaded as a module, with the sources loaded directly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rollup } from 'rollup';
import { parseAst } from 'rollup/parseAst';
import esbuild from 'rollup-plugin-esbuild';
import { en } from '../../cards/src/translations/en.js';
import { fr } from '../../cards/src/translations/fr.js';
// @ts-expect-error: a plain JavaScript build plugin, without types
import { packFrench, packTranslations } from '../../scripts/pack-translations.mjs';
import { ROOT } from './helpers/harness.js';

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
    for (const key of ['common.unavailable', 'editor.pick_position', 'printer.state.printing']) {
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
