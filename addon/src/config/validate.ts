/**
 * Validation of a configuration object against the schema: Ajv with `allErrors` so that every
 * problem is reported at once, `useDefaults` so that the result is the complete config, and
 * messages of the form `path: problem` (in French or English).
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { Lang } from '../core/i18n.js';
import { configSchema } from './schema.js';
import type { MonitorConfig } from './types.generated.js';

export type ValidationResult = { ok: true; config: MonitorConfig } | { ok: false; problems: string[] };

let compiled: ReturnType<Ajv['compile']> | undefined;

function validator() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true });
    compiled = ajv.compile(configSchema);
  }
  return compiled;
}

/** Validates (and completes with defaults) a parsed configuration. Never throws. */
export function validateConfig(input: unknown, lang: Lang = 'en'): ValidationResult {
  const data = structuredClone(input ?? {});
  const validate = validator();
  if (validate(data)) return { ok: true, config: data as MonitorConfig };
  const problems = [...new Set((validate.errors ?? []).filter(keep).map((e) => formatError(e, lang)))];
  return { ok: false, problems };
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
  const problem = fmt ? fmt(e.params as Record<string, unknown>) : (e.message ?? e.keyword);
  return `${path || '(root)'}: ${problem}`;
}
