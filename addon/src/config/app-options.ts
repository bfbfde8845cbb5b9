/**
 * Inside the Home Assistant app, /data/options.json is what the Supervisor's form saved. The
 * Supervisor requires every section (dict) and every list of dicts of the options schema to be
 * present (supervisor/apps/options.py, `_check_missing_options`), so the form always holds
 * `sms`, `linky`, `printers`… even when the user filled none of them; yet a Monitor module runs
 * when its section is present. The rule that reconciles both: a value equal to its JSON Schema
 * default says nothing (validation puts the default back), and a section left with nothing
 * is absent. So an untouched `sms` section does not start the SMS module, and `sms.port` does.
 */
import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema } from './json-schema.js';
import { configSchema } from './schema.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `value` without what its defaults already say; undefined when nothing is left. */
function withoutDefaults(value: unknown, schema: JsonSchema | undefined): unknown {
  if (schema?.default !== undefined && isDeepStrictEqual(value, schema.default)) return undefined;
  if (Array.isArray(value)) {
    // An empty list is "not set", unless the default is not empty: then the user emptied it.
    const def = schema?.default;
    if (value.length === 0) return Array.isArray(def) && def.length > 0 ? [] : undefined;
    return value;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = withoutDefaults(v, schema?.properties?.[k]);
      if (kept !== undefined) out[k] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}

/** The Monitor configuration the app's saved options mean. */
export function appOptionsToConfig(
  options: unknown,
  schema: JsonSchema = configSchema,
): Record<string, unknown> {
  const kept = withoutDefaults(options, schema);
  return isObject(kept) ? kept : {};
}
