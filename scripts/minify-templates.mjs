// Rollup plugin for the cards bundle: shrinks the static text of Lit's css`` and html``
// tagged templates in our own sources (cards/src), which terser leaves as they are. CSS loses
// comments and the whitespace around `{ } ; , >` and after `:` (never before it: `a :hover`
// and `a:hover` differ); HTML keeps one space wherever there was whitespace (never none, so
// inline text keeps its spacing). `${…}` expressions are never touched: only the literal
// chunks between them change. Uses rollup's own parser, so no extra dependency.

export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

export function minifyHtml(text) {
  return text.replace(/\s+/g, ' ');
}

function walk(node, visit) {
  if (!node || typeof node.type !== 'string') return;
  visit(node);
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (Array.isArray(v)) for (const x of v) walk(x, visit);
    else if (v && typeof v.type === 'string') walk(v, visit);
  }
}

export function minifyTemplates() {
  return {
    name: 'minify-lit-templates',
    transform(code, id) {
      if (!id.includes('/cards/src/') || !/\b(css|html|svg)`/.test(code)) return null;
      const edits = [];
      walk(this.parse(code), (n) => {
        if (n.type !== 'TaggedTemplateExpression' || n.tag.type !== 'Identifier') return;
        const tag = n.tag.name;
        const fn = tag === 'css' ? minifyCss : tag === 'html' || tag === 'svg' ? minifyHtml : null;
        // CSS with expressions inside could be cut at the wrong places: left alone.
        if (!fn || (fn === minifyCss && n.quasi.expressions.length > 0)) return;
        for (const q of n.quasi.quasis) {
          if (q.end > q.start) edits.push([q.start, q.end, fn(code.slice(q.start, q.end))]);
        }
      });
      if (edits.length === 0) return null;
      edits.sort((a, b) => a[0] - b[0]);
      let out = '';
      let at = 0;
      for (const [start, end, text] of edits) {
        out += code.slice(at, start) + text;
        at = end;
      }
      return { code: out + code.slice(at), map: null };
    },
  };
}
