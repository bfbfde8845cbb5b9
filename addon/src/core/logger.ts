/**
 * Namespaced logger with a level per namespace, lazy messages and secret redaction.
 *
 * - `logger.child('sms')` gives the `sms` namespace; its level comes from `levels['sms']`
 *   (or the closest parent namespace, then the default level).
 * - Messages may be functions: they are only evaluated when the level is enabled.
 * - Every registered secret value (passwords, tokens, PINs, API keys) is replaced by `***`
 *   in the final line, wherever it appears, and so are `key=value` pairs whose key looks secret.
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

export class SecretRegistry {
  private readonly values = new Set<string>();
  private sorted: string[] = [];

  add(value: unknown): void {
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string' || value.length < 3) return; // too short to redact safely
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

  debug(msg: LazyMessage, err?: unknown): void {
    this.log('debug', msg, err);
  }
  info(msg: LazyMessage, err?: unknown): void {
    this.log('info', msg, err);
  }
  warn(msg: LazyMessage, err?: unknown): void {
    this.log('warn', msg, err);
  }
  error(msg: LazyMessage, err?: unknown): void {
    this.log('error', msg, err);
  }

  private log(level: LogLevel, msg: LazyMessage, err?: unknown): void {
    if (level === 'silent' || !this.enabled(level)) return;
    let text = typeof msg === 'function' ? safeCall(msg) : msg;
    if (err !== undefined) text += `: ${err instanceof Error ? err.message : String(err)}`;
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
