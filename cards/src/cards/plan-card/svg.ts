/**
 * Loads an SVG plan and makes it inert before it enters the page: the file is data, so every
 * script, event handler, foreign HTML and `javascript:` link is removed. What remains are
 * shapes, text and the file's own styles, which the card can then bind rooms to by id.
 */
import { SAMPLE_PLAN_SVG, SAMPLE_PLAN_URL } from './const.js';
import type { PlanBox } from './utils.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const FORBIDDEN = new Set([
  'script',
  'foreignobject',
  'iframe',
  'embed',
  'object',
  'audio',
  'video',
  'handler',
  'listener',
]);
const URL_ATTRS = new Set(['href', 'xlink:href', 'src', 'action', 'formaction']);

const cache = new Map<string, Promise<string>>();

/** The SVG text of a plan (cached per address: several cards may show the same plan). */
export function fetchSvgText(url: string): Promise<string> {
  if (url === SAMPLE_PLAN_URL) return Promise.resolve(SAMPLE_PLAN_SVG);
  let p = cache.get(url);
  if (!p) {
    p = fetch(url, { credentials: 'same-origin' }).then(async (res) => {
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.text();
    });
    p.catch(() => cache.delete(url));
    cache.set(url, p);
  }
  return p;
}

function isUnsafeUrl(value: string): boolean {
  // Strip what browsers ignore inside a scheme before checking it.
  const v = value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
  return (
    v.startsWith('javascript:') ||
    v.startsWith('vbscript:') ||
    (v.startsWith('data:') && !v.startsWith('data:image/'))
  );
}

/** Removes everything executable from a parsed SVG document, in place. */
export function sanitizeSvg(root: Element): void {
  const all = [root, ...Array.from(root.querySelectorAll('*'))];
  for (const el of all) {
    const name = el.localName.toLowerCase();
    if (el !== root && (el.namespaceURI !== SVG_NS || FORBIDDEN.has(name))) {
      el.remove();
      continue;
    }
    // SMIL can rewrite an attribute (href → javascript:) after sanitising: drop those animations.
    if ((name === 'set' || name === 'animate') && /href|^on/i.test(el.getAttribute('attributeName') ?? '')) {
      el.remove();
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      const an = attr.name.toLowerCase();
      if (an.startsWith('on') || (URL_ATTRS.has(an) && isUnsafeUrl(attr.value)))
        el.removeAttribute(attr.name);
    }
  }
}

export interface ParsedSvg {
  svg: SVGSVGElement;
  box: PlanBox | undefined;
}

/** Parses and sanitises SVG text; throws with a short reason when it is not an SVG document. */
export function parseSvg(text: string): ParsedSvg {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.localName !== 'svg' || root.namespaceURI !== SVG_NS || doc.querySelector('parsererror')) {
    throw new Error('not an SVG document');
  }
  sanitizeSvg(root);
  const svg = document.importNode(root, true) as unknown as SVGSVGElement;
  const box = svgBox(svg);
  // The card sizes the plan; the file's own size would fight the layout.
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  if (box && !svg.hasAttribute('viewBox'))
    svg.setAttribute('viewBox', `${box.minX} ${box.minY} ${box.width} ${box.height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  return { svg, box };
}

/** The plan box of an SVG: its viewBox, else its width/height in user units. */
export function svgBox(svg: Element): PlanBox | undefined {
  const vb = svg.getAttribute('viewBox');
  if (vb) {
    const n = vb
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (n.length === 4 && n.every(Number.isFinite) && (n[2] as number) > 0 && (n[3] as number) > 0) {
      return { minX: n[0] as number, minY: n[1] as number, width: n[2] as number, height: n[3] as number };
    }
  }
  const w = Number.parseFloat(svg.getAttribute('width') ?? '');
  const h = Number.parseFloat(svg.getAttribute('height') ?? '');
  return w > 0 && h > 0 ? { minX: 0, minY: 0, width: w, height: h } : undefined;
}
