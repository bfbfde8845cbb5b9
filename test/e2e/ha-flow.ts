/**
 * Answers a Home Assistant config-flow form from its `data_schema`: the values we give, then the
 * schema's defaults, then a neutral value for required fields. The MQTT broker step's shape
 * changes across HA versions (flat fields in 2024.x, an expandable `other_settings` section in
 * 2025+), so the answer is derived from what this HA asks instead of being hard-coded.
 */

export interface FlowField {
  name: string;
  type?: string;
  required?: boolean;
  default?: unknown;
  selector?: Record<string, { options?: Array<string | { value: string }> } | undefined>;
  schema?: FlowField[];
}

export interface FlowStep {
  type: string;
  flow_id: string;
  step_id?: string;
  data_schema?: FlowField[];
  errors?: Record<string, string>;
}

function neutral(f: FlowField): unknown {
  if (f.type === 'boolean' || f.selector?.boolean) return false;
  const options = f.selector?.select?.options;
  if (options && options.length > 0) {
    const first = options[0];
    return typeof first === 'string' ? first : first?.value;
  }
  return undefined;
}

function fillFields(fields: FlowField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.type === 'expandable' && f.schema) {
      out[f.name] = fillFields(f.schema, values);
      continue;
    }
    let v: unknown = values[f.name];
    if (v === undefined) v = f.default;
    if (v === undefined && f.required) v = neutral(f);
    if (v !== undefined) out[f.name] = v;
  }
  return out;
}

export function fillFlowForm(step: FlowStep, values: Record<string, unknown>): Record<string, unknown> {
  return fillFields(step.data_schema ?? [], values);
}
