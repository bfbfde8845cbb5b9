// Rollup plugin for the cards bundle: the bundled Material Design Icons (@mdi/js) ship with
// shorter SVG path data that draws the same shape. @mdi/js writes every command in absolute
// coordinates with commas ("M12,4A4,4 0 0,1 16,8"); each command here is written absolute or
// relative, whichever is shorter, with no separator where the grammar needs none
// ("M12 4a4 4 0 0 1 4 4"). Coordinates are computed exactly (integers of 1e-8; @mdi/js
// uses at most 5 decimals): only the encoding changes, never a point. The icons' paths were
// the largest single part of the bundle after Lit (bench/cards-bundle.ts).

// Integers below 2^53 are exact in a double: 24 × 1e8 is far below.
const SCALE = 100_000_000;
const DECIMALS = 8;
const ARGS = { M: 2, L: 2, H: 1, V: 1, C: 6, S: 4, Q: 4, T: 2, A: 7, Z: 0 };

/** A decimal number as an exact integer count of 1e-8. */
function toFixedInt(text) {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3]) || (m[3]?.length ?? 0) > DECIMALS) {
    throw new Error(`compact-icons: unsupported number ${text}`);
  }
  const v = Number(m[2] || '0') * SCALE + Number((m[3] ?? '').padEnd(DECIMALS, '0'));
  return m[1] === '-' ? -v : v;
}

/** Shortest text of an exact number: no trailing zeros, no leading `0` before the point. */
function formatFixedInt(v) {
  const sign = v < 0 ? '-' : '';
  const abs = Math.abs(v);
  const int = Math.floor(abs / SCALE);
  const frac = String(abs % SCALE)
    .padStart(DECIMALS, '0')
    .replace(/0+$/, '');
  const text = frac ? `${int === 0 ? '' : int}.${frac}` : `${int}`;
  return sign + text;
}

/** The current point and the start of the subpath, moved as SVG path commands move them. */
class Pen {
  x = 0;
  y = 0;
  startX = 0;
  startY = 0;

  /** After an absolute segment (`command` upper-case, not Z). */
  advance(command, abs) {
    if (command === 'H') this.x = abs[0];
    else if (command === 'V') this.y = abs[0];
    else {
      this.x = abs[abs.length - 2];
      this.y = abs[abs.length - 1];
    }
    if (command === 'M') {
      this.startX = this.x;
      this.startY = this.y;
    }
  }

  /** Z: back to the start of the subpath. */
  close() {
    this.x = this.startX;
    this.y = this.startY;
  }
}

/**
 * Path data as absolute segments: [command letter upper-case, exact numbers], implicit
 * repetitions made explicit (extra pairs after M are L), H/V and relative forms resolved.
 */
export function absoluteSegments(d) {
  const tokens = d.match(/[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)/g) ?? [];
  if (tokens.join('').length !== d.replace(/[\s,]/g, '').length) {
    throw new Error('compact-icons: path data with unsupported syntax (exponents?)');
  }
  const out = [];
  const pen = new Pen();
  let i = 0;
  while (i < tokens.length) {
    const letter = tokens[i++];
    const upper = letter.toUpperCase();
    if (!(upper in ARGS)) throw new Error(`compact-icons: command ${letter}`);
    const relative = letter !== upper;
    if (upper === 'Z') {
      out.push(['Z', []]);
      pen.close();
      continue;
    }
    let first = true;
    do {
      const n = ARGS[upper];
      const v = tokens.slice(i, i + n).map(toFixedInt);
      if (v.length !== n) throw new Error('compact-icons: missing arguments');
      i += n;
      const command = upper === 'M' && !first ? 'L' : upper;
      let abs;
      if (command === 'H') abs = [relative ? pen.x + v[0] : v[0]];
      else if (command === 'V') abs = [relative ? pen.y + v[0] : v[0]];
      else if (command === 'A')
        abs = [...v.slice(0, 5), relative ? pen.x + v[5] : v[5], relative ? pen.y + v[6] : v[6]];
      else abs = v.map((c, k) => (relative ? c + (k % 2 ? pen.y : pen.x) : c));
      out.push([command, abs]);
      pen.advance(command, abs);
      first = false;
    } while (i < tokens.length && !/[A-Za-z]/.test(tokens[i]));
  }
  return out;
}

/** Numbers joined with a space only where one number would otherwise run into the next. */
function joinNumbers(texts, previous = '') {
  let out = '';
  let last = previous;
  for (const t of texts) {
    const needsSpace = last !== '' && (/^\d/.test(t) || (t.startsWith('.') && !last.includes('.')));
    out += (needsSpace ? ' ' : '') + t;
    last = t;
  }
  return out;
}

/** The same path, each command absolute or relative, whichever is shorter. */
export function compactPath(d) {
  const pen = new Pen();
  let out = '';
  let lastLetter = '';
  let lastNumber = '';
  for (const [command, abs] of absoluteSegments(d)) {
    if (command === 'Z') {
      out += 'z';
      lastLetter = 'z';
      lastNumber = '';
      pen.close();
      continue;
    }
    let rel;
    if (command === 'H') rel = [abs[0] - pen.x];
    else if (command === 'V') rel = [abs[0] - pen.y];
    else if (command === 'A') rel = [...abs.slice(0, 5), abs[5] - pen.x, abs[6] - pen.y];
    else rel = abs.map((c, k) => c - (k % 2 ? pen.y : pen.x));
    const options = [
      [command, abs.map(formatFixedInt)],
      [command.toLowerCase(), rel.map(formatFixedInt)],
    ].map(([letter, numbers]) => {
      // The letter can be left out when it repeats (never for M: a repeated M pair is an L).
      const implicit = letter === lastLetter && command !== 'M';
      // Arc flags keep their spaces: not every SVG parser reads "011" as three numbers.
      const body =
        command === 'A'
          ? `${joinNumbers(numbers.slice(0, 3), implicit ? lastNumber : '')} ${numbers[3]} ${numbers[4]}${numbers[5].startsWith('-') ? '' : ' '}${numbers[5]}${joinNumbers([numbers[6]], numbers[5])}`
          : joinNumbers(numbers, implicit ? lastNumber : '');
      return { letter, text: implicit ? body : letter + body, last: numbers[numbers.length - 1] };
    });
    const best = options[1].text.length <= options[0].text.length ? options[1] : options[0];
    out += best.text;
    lastLetter = best.letter;
    lastNumber = best.last;
    pen.advance(command, abs);
  }
  return out;
}

export function compactIcons() {
  return {
    name: 'compact-icons',
    transform(code, id) {
      if (!/[\\/]@mdi[\\/]js[\\/]mdi\.js$/.test(id)) return null;
      // Only the icons imported survive tree-shaking; compacting all 7,000 takes ~0.2 s.
      return {
        code: code.replace(
          /^export var (mdi\w+) = "([^"]*)";$/gm,
          (_, name, d) => `export var ${name} = ${JSON.stringify(compactPath(d))};`,
        ),
        map: null,
      };
    },
  };
}
