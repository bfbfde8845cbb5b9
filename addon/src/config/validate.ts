/**
 * Validation of a configuration object against the schema, with messages of the form
 * `path: problem` (in French or English). The Ajv validator (options in ajv-options.ts) is
 * compiled ahead of time by `npm run gen` into validator.generated.ts, so that the service
 * does not compile it at every start; a test checks that it is current.
 */
import type { ErrorObject } from 'ajv';
import type { Lang } from '../core/i18n.js';
import type { MonitorConfig } from './types.generated.js';
import { validate as generatedValidate } from './validator.generated.js';

export type ValidationResult = { ok: true; config: MonitorConfig } | { ok: false; problems: string[] };

type CompiledValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

function validator(): CompiledValidator {
  return generatedValidate as CompiledValidator;
}

/** Validates (and completes with defaults) a parsed configuration. Never throws. */
export function validateConfig(input: unknown, lang: Lang = 'en'): ValidationResult {
  const data = structuredClone(input ?? {});
  const validate = validator();
  if (validate(data)) {
    const config = data as MonitorConfig;
    const problems = crossFieldProblems(config, lang);
    return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
  }
  const problems = [...new Set((validate.errors ?? []).filter(keep).map((e) => formatError(e, lang)))];
  return { ok: false, problems };
}

/** Rules between keys, which a JSON Schema says badly (the message would not help). */
export function crossFieldProblems(c: MonitorConfig, lang: Lang): string[] {
  const fr = lang === 'fr';
  const out: string[] = [];
  if (c.mqtt.password && !c.mqtt.username)
    out.push(
      fr
        ? 'mqtt.username : obligatoire quand mqtt.password est donné (un broker n’accepte pas de mot de passe sans nom d’utilisateur)'
        : 'mqtt.username: required when mqtt.password is set (a broker does not accept a password without a user name)',
    );
  if (c.rpc.secret && c.rpc.secret.length < 16)
    out.push(
      fr
        ? 'rpc.secret : doit compter au moins 16 caractères (vide : généré au premier démarrage)'
        : 'rpc.secret: must have at least 16 characters (empty: generated on first start)',
    );
  return out;
}

/** Ajv reports `if/then` and `oneOf` wrappers too; the concrete errors below them say more. */
function keep(e: ErrorObject): boolean {
  return e.keyword !== 'if' && e.keyword !== 'oneOf' && e.keyword !== 'anyOf';
}

export function pathOf(instancePath: string): string {
  if (!instancePath) return '';
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

const FR: Record<string, (p: Record<string, unknown>) => string> = {
  required: () => 'obligatoire',
  additionalProperties: (p) => `clé inconnue « ${String(p.additionalProperty)} »`,
  type: (p) => `doit être de type ${String(p.type)}`,
  enum: (p) =>
    `doit valoir l'une de ces valeurs : ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
  pattern: (p) => `ne correspond pas au motif ${String(p.pattern)}`,
  minimum: (p) => `doit être ≥ ${String(p.limit)}`,
  maximum: (p) => `doit être ≤ ${String(p.limit)}`,
  minLength: (p) => `doit compter au moins ${String(p.limit)} caractère(s)`,
  maxLength: (p) => `doit compter au plus ${String(p.limit)} caractère(s)`,
  minItems: (p) => `doit compter au moins ${String(p.limit)} élément(s)`,
  uniqueItems: () => 'ne doit pas contenir de doublons',
  const: (p) => `doit valoir ${JSON.stringify(p.allowedValue)}`,
  format: (p) => `doit être au format ${String(p.format)}`,
};

const EN: Record<string, (p: Record<string, unknown>) => string> = {
  required: () => 'is required',
  additionalProperties: (p) => `unknown key "${String(p.additionalProperty)}"`,
  type: (p) => `must be of type ${String(p.type)}`,
  enum: (p) => `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
  pattern: (p) => `does not match the pattern ${String(p.pattern)}`,
  minimum: (p) => `must be >= ${String(p.limit)}`,
  maximum: (p) => `must be <= ${String(p.limit)}`,
  minLength: (p) => `must have at least ${String(p.limit)} character(s)`,
  maxLength: (p) => `must have at most ${String(p.limit)} character(s)`,
  minItems: (p) => `must have at least ${String(p.limit)} item(s)`,
  uniqueItems: () => 'must not contain duplicates',
  const: (p) => `must be ${JSON.stringify(p.allowedValue)}`,
  format: (p) => `must be in the ${String(p.format)} format`,
};

export function formatError(e: ErrorObject, lang: Lang): string {
  let path = pathOf(e.instancePath);
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    path = path ? `${path}.${missing}` : missing;
  }
  const table = lang === 'fr' ? FR : EN;
  const fmt = table[e.keyword];
  let problem = fmt ? fmt(e.params as Record<string, unknown>) : (e.message ?? e.keyword);
  if (e.keyword === 'additionalProperties') {
    const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const guess = closest(String((e.params as { additionalProperty: string }).additionalProperty), known);
    if (guess)
      problem += lang === 'fr' ? ` (vouliez-vous dire « ${guess} » ?)` : ` (did you mean "${guess}"?)`;
  }
  return `${path || '(root)'}: ${problem}`;
}

/** The known key nearest to a misspelt one (edit distance ≤ 2, or one contains the other). */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = w.length > 3 && (c.includes(w) || w.includes(c)) ? 1 : distance(w, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}
