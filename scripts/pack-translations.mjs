// Rollup plugin for the cards bundle: the French texts ship without their keys. In the source,
// cards/src/translations/fr.ts is an object keyed like en.ts (readable, checked by TypeScript
// and by a unit test); in the bundle it becomes the list of French texts in en.ts's key order,
// and the object is rebuilt from `Object.keys(en)` when the bundle loads. The 268 keys were
// written twice (en and fr) and cost ~0.5 KB gzip the second time (bench/cards-bundle.ts).
// A French key that is not an English key, or a value that is not a plain string, stops the
// build: nothing is dropped silently.

const FR = /\/cards\/src\/translations\/fr\.ts$/;

/** The object literal of `export const <name> = {…}` in a parsed module. */
function exportedObject(ast, name) {
  for (const node of ast.body) {
    const decl = node.type === 'ExportNamedDeclaration' ? node.declaration : node;
    if (decl?.type !== 'VariableDeclaration') continue;
    for (const d of decl.declarations) {
      if (d.id.name !== name) continue;
      const init = d.init;
      // `{…} as const` is gone after esbuild; a parenthesised or `satisfies` form is not expected.
      if (init?.type === 'ObjectExpression') return init;
    }
  }
  throw new Error(`pack-translations: no \`export const ${name} = {…}\``);
}

function keyOf(prop) {
  if (prop.type !== 'Property' || prop.computed || prop.kind !== 'init') {
    throw new Error('pack-translations: only plain `key: value` entries are supported');
  }
  return prop.key.type === 'Literal' ? String(prop.key.value) : prop.key.name;
}

function textOf(prop, key) {
  const v = prop.value;
  if (v.type === 'Literal' && typeof v.value === 'string') return v.value;
  if (v.type === 'TemplateLiteral' && v.expressions.length === 0) return v.quasis[0].value.cooked;
  throw new Error(`pack-translations: ${key}: the text must be a plain string`);
}

/** French texts in English key order (undefined where French has none), from both sources. */
export function packFrench(enAst, frAst) {
  const order = exportedObject(enAst, 'en').properties.map(keyOf);
  const position = new Map(order.map((k, i) => [k, i]));
  const texts = new Array(order.length).fill(undefined);
  for (const prop of exportedObject(frAst, 'fr').properties) {
    const key = keyOf(prop);
    const i = position.get(key);
    if (i === undefined) throw new Error(`pack-translations: French key ${key} is not an English key`);
    texts[i] = textOf(prop, key);
  }
  return texts;
}

export function packTranslations() {
  return {
    name: 'pack-translations',
    async transform(code, id) {
      if (!FR.test(id)) return null;
      const enId = id.replace(/fr\.ts$/, 'en.ts');
      const en = await this.load({ id: enId });
      if (!en.code) throw new Error(`pack-translations: could not load ${enId}`);
      const texts = packFrench(this.parse(en.code), this.parse(code));
      // Holes (`,,`) for texts French lacks: they stay absent, so English is the fallback.
      const list = texts.map((t) => (t === undefined ? '' : JSON.stringify(t))).join(',');
      return {
        code: `import { en } from './en.js';
const texts = [${list}${texts.at(-1) === undefined ? ',' : ''}];
// Pure: a bundle that does not use the texts (a part measured alone) drops them.
export const fr = /* @__PURE__ */ (() => {
  const fr = {};
  Object.keys(en).forEach((key, i) => { if (texts[i] !== undefined) fr[key] = texts[i]; });
  return fr;
})();
`,
        map: null,
      };
    },
  };
}
