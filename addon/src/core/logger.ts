/**
 * Namespaced logger with a level per namespace, lazy messages and secret redaction.
 *
 * - `logger.child('sms')` gives the `sms` namespace; its level comes from `levels['sms']`
 *   (or the closest parent namespace, then the default level).
 * - Messages may be functions: they are only evaluated when the level is enabled.
 * - Redaction is by field, not by text: structured fields (`log.info(msg, undefined, {from,
 *   pin})`) whose key looks secret (password, token, pin, api_key, secret…) and values wrapped
 *   in `secret(v)` are written `***`; `key=value` / `"key": "value"` pairs with such a key are
 *   hidden in free text too. A PIN therefore never reaches a line.
 * - The text-replacement pass keeps only long registered secrets (≥ 8 characters: tokens,
 *   passwords, API keys), as a safety net for a library's error message: replacing a short
 *   value everywhere mangled data and revealed the PIN (issue 15: with PIN 1234,
 *   `+33612345678` was logged as `+336***5678`).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LazyMessage = string | (() => string);

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LogSink {
  write(line: string, level: LogLevel): void;
}

const stderrSink: LogSink = {
  write(line) {
    process.stderr.write(`${line}\n`);
  },
};

/**
 * `key=value`, `key: value`, `"key":"value"` where the key looks secret (a letter must not
 * precede it, so `mqtt_password=` matches and `spin=` does not). A quoted value is hidden up
 * to its closing quote, an unquoted one up to a separator.
 */
const SECRET_KEY_PATTERN =
  /((?<![a-z])(?:password|passwd|pwd|token|api_key|apikey|pin|pin_code|secret|access_token|refresh_token)"?\s*[:=]\s*)("[^"]*"|'[^']*'|[^"'\s,;}&]+)/gi;
/** `Authorization: Bearer xyz`, `Basic xyz`. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
/** Credentials inside a URL: `mqtt://user:secret@host`. */
const URL_CREDENTIALS = /(\/\/[^/\s:@]+:)[^@\s/]+@/g;

/** Keys whose values are secrets, in structured fields and in the config (load.ts). */
export const SECRET_KEY =
  /^(?:password|passwd|pwd|token|api_key|apikey|pin|pin_code|duress_pin|sim_pin|secret|access_token|refresh_token|bearer)$|(?:_token|_password|_pin|_key|_secret)$/i;

/** Shorter registered values are not replaced in text: they would match ordinary data. */
export const MIN_REDACTED_LENGTH = 8;

/** A value that is written `***` wherever it is turned into text (template strings, JSON). */
export class Secret {
  constructor(private readonly value: string) {}
  reveal(): string {
    return this.value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '***';
  }
}

export function secret(value: string | number): Secret {
  return new Secret(String(value));
}

export type LogFields = Record<string, unknown>;

/** ` key=value` for each field, secret keys and Secret values as `***`, strings quoted when needed. */
export function formatFields(fields: LogFields): string {
  let out = '';
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    let text: string;
    if (SECRET_KEY.test(k) || v instanceof Secret) text = '***';
    else if (typeof v === 'string') text = /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
    else if (v instanceof Error) text = JSON.stringify(v.message);
    else text = JSON.stringify(v, (key, val) => (key && SECRET_KEY.test(key) ? '***' : val)) ?? String(v);
    out += ` ${k}=${text}`;
  }
  return out;
}

export class SecretRegistry {
  private readonly values = new Set<string>();
  private sorted: string[] = [];

  /**
   * Registers a long secret (token, password, API key) for the text pass. Values shorter than
   * MIN_REDACTED_LENGTH (PINs) are not: they are kept out of log lines by field instead.
   */
  add(value: unknown): void {
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string' || value.length < MIN_REDACTED_LENGTH) return;
    if (this.values.has(value)) return;
    this.values.add(value);
    // Longest first, so that a secret containing another is fully hidden.
    this.sorted = [...this.values].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    let out = text;
    for (const v of this.sorted) {
      if (out.includes(v)) out = out.split(v).join('***');
    }
    return out
      .replace(SECRET_KEY_PATTERN, (_m, key: string, value: string) =>
        value.startsWith('"') ? `${key}"***"` : value.startsWith("'") ? `${key}'***'` : `${key}***`,
      )
      .replace(AUTH_SCHEME, '$1 ***')
      .replace(URL_CREDENTIALS, '$1***@');
  }
}

export interface LoggerOptions {
  level?: LogLevel;
  levels?: Record<string, LogLevel>;
  sink?: LogSink;
  secrets?: SecretRegistry;
  timestamps?: boolean;
}

export class Logger {
  constructor(
    readonly namespace: string,
    private readonly root: LoggerRoot,
  ) {}

  child(ns: string): Logger {
    return new Logger(this.namespace ? `${this.namespace}:${ns}` : ns, this.root);
  }

  enabled(level: LogLevel): boolean {
    return ORDER[level] >= ORDER[this.root.levelFor(this.namespace)];
  }

  /** `fields`: structured data, written ` key=value`; secret keys and `secret()` values as `***`. */
  debug(msg: LazyMessage, err?: unknown, fields?: LogFields): void {
    this.log('debug', msg, err, fields);
  }
  info(msg: LazyMessage, err?: unknown, fields?: LogFields): void {
    this.log('info', msg, err, fields);
  }
  warn(msg: LazyMessage, err?: unknown, fields?: LogFields): void {
    this.log('warn', msg, err, fields);
  }
  error(msg: LazyMessage, err?: unknown, fields?: LogFields): void {
    this.log('error', msg, err, fields);
  }

  private log(level: LogLevel, msg: LazyMessage, err?: unknown, fields?: LogFields): void {
    if (level === 'silent' || !this.enabled(level)) return;
    let text = typeof msg === 'function' ? safeCall(msg) : msg;
    if (err !== undefined) text += `: ${err instanceof Error ? err.message : String(err)}`;
    if (fields) text += formatFields(fields);
    this.root.emit(level, this.namespace, text);
  }
}

function safeCall(fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    return `<log message failed: ${e instanceof Error ? e.message : String(e)}>`;
  }
}

export class LoggerRoot {
  level: LogLevel;
  levels: Record<string, LogLevel>;
  sink: LogSink;
  readonly secrets: SecretRegistry;
  private readonly timestamps: boolean;

  constructor(opts: LoggerOptions = {}) {
    this.level = opts.level ?? 'info';
    this.levels = { ...(opts.levels ?? {}) };
    this.sink = opts.sink ?? stderrSink;
    this.secrets = opts.secrets ?? new SecretRegistry();
    this.timestamps = opts.timestamps ?? true;
  }

  levelFor(ns: string): LogLevel {
    let cur = ns;
    while (cur) {
      const l = this.levels[cur];
      if (l) return l;
      const i = cur.lastIndexOf(':');
      cur = i < 0 ? '' : cur.slice(0, i);
    }
    return this.level;
  }

  emit(level: LogLevel, ns: string, text: string): void {
    const ts = this.timestamps ? `${new Date().toISOString()} ` : '';
    const line = `${ts}${level.toUpperCase().padEnd(5)} [${ns || 'monitor'}] ${text}`;
    this.sink.write(this.secrets.redact(line), level);
  }

  logger(ns = ''): Logger {
    return new Logger(ns, this);
  }
}

export function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && v in ORDER;
}

/** A logger for code paths that have none (CLI one-shots, tests): level from MONITOR_LOG_LEVEL. */
export function defaultLogger(ns = ''): Logger {
  const env = process.env.MONITOR_LOG_LEVEL;
  return new LoggerRoot({ level: isLogLevel(env) ? env : 'info' }).logger(ns);
}
