/**
 * The configuration check that knows what the runtime knows: a pass after the schema validation
 * (which only sees types, enums and patterns) that looks at values the way the modules will use
 * them — URL schemes, standard baud rates, phone numbers through the same normaliser as at run
 * time, `domain.service`, mutually exclusive keys, duplicates after folding and slugging.
 * Each problem is `path: problem`, in French or English, with a "did you mean" where one exists.
 *
 * Module sections plug their own checks in `SECTION_CHECKS` (one line per module); the checks
 * are pure functions of the validated section (defaults applied) and the whole config.
 */
import { type Dictionaries, type Lang, type Translate, translator } from '../core/i18n.js';
import { checkLinky } from '../modules/linky/check.js';
import { checkPrinters } from '../modules/printers/check.js';
import { checkSms } from '../modules/sms/check.js';
import type { JsonSchema } from './json-schema.js';
import { configSchema } from './schema.js';
import type { MonitorConfig } from './types.generated.js';
import { closest, type ValidationResult, validateConfig } from './validate.js';

/** What a check reports through: a translated problem at a path, and a suggestion if any. */
export interface CheckReport {
  lang: Lang;
  /** `problem` is already in `lang`; `suggestion` is a value, quoted by the report. */
  add(path: string, problem: string, suggestion?: string): void;
}

// biome-ignore lint/suspicious/noExplicitAny: each check types its own section.
export type SectionCheck = (section: any, root: MonitorConfig, report: CheckReport) => void;

/** Module checks, by config section; a module adds one line here. */
export const SECTION_CHECKS: Record<string, SectionCheck> = {
  sms: checkSms,
  linky: checkLinky,
  printers: checkPrinters,
};

const dict: Dictionaries = {
  en: {
    did_you_mean: 'did you mean "{value}"?',
    no_scheme: '"{url}" has no scheme ({schemes})',
    bad_scheme: 'scheme "{scheme}" is not one of {schemes}',
    bad_url: '"{url}" is not a URL',
  },
  fr: {
    did_you_mean: 'vouliez-vous dire « {value} » ?',
    no_scheme: '« {url} » n’a pas de schéma ({schemes})',
    bad_scheme: 'le schéma « {scheme} » n’est pas l’un de {schemes}',
    bad_url: '« {url} » n’est pas une URL',
  },
};

/** Schema validation, then the semantic pass on the completed config. Never throws. */
export function checkConfig(input: unknown, lang: Lang = 'en'): ValidationResult {
  const res = validateConfig(input, lang);
  if (!res.ok) return { ok: false, problems: res.problems.map((p) => withKeyHint(p, lang)) };
  const problems = semanticProblems(res.config, lang);
  return problems.length > 0 ? { ok: false, problems } : res;
}

/** The semantic problems of a config that passed the schema (defaults applied). */
export function semanticProblems(config: MonitorConfig, lang: Lang): string[] {
  const t = translator(dict, lang);
  const problems: string[] = [];
  const report: CheckReport = {
    lang,
    add(path, problem, suggestion) {
      problems.push(
        `${path}: ${problem}${suggestion !== undefined ? ` (${t('did_you_mean', { value: suggestion })})` : ''}`,
      );
    },
  };
  checkUrl('mqtt.url', config.mqtt.url, ['mqtt', 'mqtts', 'ws', 'wss'], report, t);
  if (config.homeassistant.url)
    checkUrl('homeassistant.url', config.homeassistant.url, ['http', 'https', 'ws', 'wss'], report, t);
  const sections = config as unknown as Record<string, unknown>;
  for (const [name, check] of Object.entries(SECTION_CHECKS))
    if (sections[name] !== undefined) check(sections[name], config, report);
  return problems;
}

function checkUrl(path: string, url: string, schemes: string[], report: CheckReport, t: Translate): void {
  const list = schemes.map((s) => `${s}://`).join(', ');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    // `host:port` parses as a URL with the host as its scheme: look for `//` instead.
    const suggestion = /^[\w.-]+(:\d+)?(\/.*)?$/.test(url) ? `${schemes[0]}://${url}` : undefined;
    report.add(path, t('no_scheme', { url, schemes: list }), suggestion);
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    report.add(path, t('bad_url', { url }));
    return;
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (!schemes.includes(scheme)) {
    const guess = closest(scheme, schemes);
    report.add(
      path,
      t('bad_scheme', { scheme, schemes: list }),
      guess ? url.replace(/^[^:]+/, guess) : undefined,
    );
  }
}

// ── "did you mean" for unknown keys, one level down or up ──────────────────────────────────

// Non-ASCII characters escaped: the bundle stays ASCII (rollup.config.mjs says why).
const UNKNOWN_KEY = /^(.*): (?:unknown key "([^"]+)"|cl\u00e9 inconnue \u00ab (.+) \u00bb)$/;

/**
 * The schema validation suggests a key of the same object when one is close. For a key that
 * belongs one level down (`linky.port` → `linky.meters[].port`) or up (`mqtt.node_id` →
 * `node_id`) it says nothing: this adds that suggestion to its message.
 */
export function withKeyHint(problem: string, lang: Lang): string {
  const m = UNKNOWN_KEY.exec(problem);
  if (!m) return problem;
  const path = m[1] === '(root)' ? '' : (m[1] as string);
  const key = (m[2] ?? m[3]) as string;
  const hint = relocatedKey(path, key);
  if (!hint) return problem;
  return `${problem} (${translator(dict, lang)('did_you_mean', { value: hint })})`;
}

/** Where a key unknown at `path` is known one level down or up, as a path; undefined if nowhere. */
export function relocatedKey(path: string, key: string): string | undefined {
  const here = schemaAt(path);
  if (!here) return undefined;
  const join = (p: string, k: string) => (p ? `${p}.${k}` : k);
  for (const [child, s] of Object.entries(here.properties ?? {})) {
    const inner = objectOf(s);
    if (inner?.schema.properties?.[key]) return join(path, `${child}${inner.array ? '[]' : ''}.${key}`);
  }
  // The object holding this one: a list item's parent is the object holding the list.
  const parentPath = path.replace(/(\[\d+\])+$/, '').replace(/\.?[^.[\]]+$/, '');
  if (parentPath !== path) {
    const parent = schemaAt(parentPath);
    if (parent?.properties?.[key]) return join(parentPath.replace(/\[\d+\]/g, '[]'), key);
  }
  return undefined;
}

/** The object schema (or array-of-objects item schema) a property holds. */
function objectOf(s: JsonSchema): { schema: JsonSchema; array: boolean } | undefined {
  if (s.type === 'object' && s.properties) return { schema: s, array: false };
  const items = s.items as JsonSchema | undefined;
  if (s.type === 'array' && items?.type === 'object' && items.properties)
    return { schema: items, array: true };
  return undefined;
}

/** The object schema at an instance path such as `sms.commands.keywords[2]`. */
function schemaAt(path: string): JsonSchema | undefined {
  let s: JsonSchema | undefined = configSchema;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (!s) return undefined;
    s = part.startsWith('[') ? (s.items as JsonSchema | undefined) : s.properties?.[part];
  }
  return s;
}
