/**
 * Enum sensors shown as words: MQTT discovery cannot give HA a translation key, so the module
 * gives the words of its configured language and the discovery maps each raw code to its word
 * in the templates. The code stays an attribute (`code`) so that automations can test a value
 * that does not depend on the language. A code without a word shows as the code itself
 * (a new firmware value is seen, not lost).
 */

/** Template fields for an enum entity: `value_template`, `options`, `json_attributes_template`. */
export function labelledState(
  valueAccess: string,
  labels: Record<string, string>,
  attributesAccess?: string | false,
): Record<string, unknown> {
  const map = JSON.stringify(labels);
  const base = attributesAccess ? `${attributesAccess} | default({}, true)` : '{}';
  return {
    value_template: `{% set v = ${valueAccess} %}{{ ${map}.get(v | string, v) if v is not none else None }}`,
    options: [...new Set(Object.values(labels))],
    json_attributes_template: `{{ dict(${base}, code=${valueAccess}) | tojson }}`,
  };
}
