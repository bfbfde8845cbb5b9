/**
 * Small config readers for `setConfig`. Every problem throws a `ConfigError` whose message is
 * `path: problem` (HA shows it in its error card), and unknown keys are refused so a typo is
 * reported instead of silently ignored. Written by hand (no superstruct) to keep the bundle small.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function fail(path: string, problem: string): never {
  throw new ConfigError(path ? `${path}: ${problem}` : problem);
}

/** Keys HA itself adds to any card config (sections and visibility). */
export const HA_CARD_KEYS = ['type', 'grid_options', 'layout_options', 'view_layout', 'visibility'] as const;

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

export function isEntityId(v: unknown): v is string {
  return typeof v === 'string' && ENTITY_ID.test(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return typeof v === 'object' ? 'an object' : String(v);
}

export class Reader {
  constructor(
    readonly obj: Record<string, unknown>,
    readonly path: string,
  ) {}

  static of(value: unknown, path: string): Reader {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail(path, `expected an object, got ${describe(value)}`);
    }
    return new Reader(value as Record<string, unknown>, path);
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  only(allowed: readonly string[]): this {
    for (const key of Object.keys(this.obj)) {
      if (!allowed.includes(key))
        fail(this.at(key), `unknown option (expected one of: ${allowed.join(', ')})`);
    }
    return this;
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  str(key: string): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') fail(this.at(key), `expected text, got ${describe(v)}`);
    return v;
  }

  reqStr(key: string): string {
    const v = this.str(key);
    if (v === undefined || v.trim() === '') fail(this.at(key), 'required');
    return v;
  }

  num(key: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v))
      fail(this.at(key), `expected a number, got ${describe(v)}`);
    if (opts.min !== undefined && v < opts.min) fail(this.at(key), `must be ≥ ${opts.min}, got ${v}`);
    if (opts.max !== undefined && v > opts.max) fail(this.at(key), `must be ≤ ${opts.max}, got ${v}`);
    return v;
  }

  reqNum(key: string, opts: { min?: number; max?: number } = {}): number {
    const v = this.num(key, opts);
    if (v === undefined) fail(this.at(key), 'required (a number)');
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') fail(this.at(key), `expected true or false, got ${describe(v)}`);
    return v;
  }

  entity(key: string, domains?: readonly string[]): string | undefined {
    const v = this.str(key);
    if (v === undefined || v.trim() === '') return undefined;
    if (!isEntityId(v)) fail(this.at(key), `expected an entity id like light.kitchen, got ${describe(v)}`);
    if (domains && !domains.includes(v.split('.')[0] as string)) {
      fail(this.at(key), `expected an entity of domain ${domains.join(' or ')}, got ${describe(v)}`);
    }
    return v;
  }

  reqEntity(key: string, domains?: readonly string[]): string {
    const v = this.entity(key, domains);
    if (v === undefined) fail(this.at(key), 'required (an entity id)');
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      fail(this.at(key), `expected one of ${values.join(', ')}, got ${describe(v)}`);
    }
    return v as T;
  }

  list<T>(key: string, item: (value: unknown, path: string) => T): T[] | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    const path = this.at(key);
    if (!Array.isArray(v)) fail(path, `expected a list, got ${describe(v)}`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  }

  /** A `{key: text}` map (state → class, state → colour). */
  textMap(key: string, check?: (value: string, path: string) => void): Record<string, string> | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    const r = Reader.of(v, this.at(key));
    const out: Record<string, string> = {};
    for (const k of Object.keys(r.obj)) {
      const value = r.obj[k];
      // YAML turns a bare `on:`/`off:` key into a boolean in some loaders; keys are always text here.
      if (typeof value !== 'string' && typeof value !== 'number')
        fail(r.at(k), `expected text, got ${describe(value)}`);
      const text = String(value);
      check?.(text, r.at(k));
      out[k] = text;
    }
    return out;
  }
}
