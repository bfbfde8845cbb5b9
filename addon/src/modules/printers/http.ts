/**
 * HTTP for the printer sources: Node's global fetch with an AbortSignal timeout, results as
 * values (never thrown), so that one dead printer is a typed outcome and not an exception.
 * The API key travels in a header only; no error message ever contains a header or a query.
 */

export type HttpFailureKind =
  | 'timeout' // no answer within the timeout (a printer that never answers)
  | 'network' // refused, unreachable, reset, DNS
  | 'auth' // 401/403: wrong or missing API key
  | 'conflict' // 409: OctoPrint's "printer is not operational"
  | 'not_found'
  | 'http' // any other non-2xx
  | 'parse'; // the body is not what we expected (garbage JSON)

export type HttpResult<T = unknown> =
  | { ok: true; status: number; data: T }
  | { ok: false; kind: HttpFailureKind; status?: number; message: string; data?: unknown };

export interface HttpOptions {
  method?: 'GET' | 'POST';
  apiKey?: string;
  /** Sent as JSON. */
  body?: unknown;
  timeoutMs: number;
  /** 'json' (default): parse the body; 'text': return it as a string; 'none': ignore it. */
  expect?: 'json' | 'text' | 'none';
  signal?: AbortSignal;
}

/** `base` + `path`, keeping a base path prefix (http://host/octoprint/ + api/job). */
export function joinUrl(base: string, path: string): URL {
  const b = base.endsWith('/') ? base : `${base}/`;
  return new URL(path.replace(/^\//, ''), b);
}

/** The URL without credentials, query or fragment: safe to log. */
export function safeUrl(url: URL | string): string {
  try {
    const u = new URL(String(url));
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

function networkMessage(err: unknown): string {
  const e = err as { cause?: { code?: string; message?: string }; message?: string };
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

function statusKind(status: number): HttpFailureKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 409) return 'conflict';
  if (status === 404) return 'not_found';
  return 'http';
}

/** Redirects followed at most (OctoPrint behind a reverse proxy: http → https, a trailing /). */
const MAX_REDIRECTS = 5;

/**
 * Fetches, following redirects by hand: the API key is sent to the configured origin only. A
 * redirect to another origin (another host, port or scheme) goes on without it, and so does
 * every hop after it: a printer's key never reaches a host that the user did not configure.
 */
async function fetchKeepingKeyHome(
  url: URL | string,
  opts: HttpOptions,
  signal: AbortSignal,
): Promise<Response> {
  const home = new URL(String(url)).origin;
  let target = new URL(String(url));
  let method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  let body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  let keyAllowed = true;
  for (let hop = 0; ; hop++) {
    keyAllowed = keyAllowed && target.origin === home;
    const headers: Record<string, string> = { Accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
    if (opts.apiKey && keyAllowed) headers['X-Api-Key'] = opts.apiKey;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(target, { method, headers, body, signal, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location || hop >= MAX_REDIRECTS) return res;
    await res.body?.cancel();
    target = new URL(location, target);
    // As browsers do: 303, and 301/302 after a POST, go on as a GET without a body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}

export async function request<T = unknown>(url: URL | string, opts: HttpOptions): Promise<HttpResult<T>> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const where = safeUrl(url);
  let res: Response;
  let text: string;
  try {
    res = await fetchKeepingKeyHome(url, opts, signal);
    text = await res.text();
  } catch (err) {
    if (timeout.aborted)
      return { ok: false, kind: 'timeout', message: `${where}: no answer within ${opts.timeoutMs} ms` };
    return { ok: false, kind: 'network', message: `${where}: ${networkMessage(err)}` };
  }
  let data: unknown = text;
  if ((opts.expect ?? 'json') === 'json' && text.trim() !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      if (res.ok)
        return { ok: false, kind: 'parse', status: res.status, message: `${where}: answer is not JSON` };
      data = text.slice(0, 200);
    }
  }
  if (!res.ok) {
    const detail = errorDetail(data);
    return {
      ok: false,
      kind: statusKind(res.status),
      status: res.status,
      message: `${where}: HTTP ${res.status}${detail}`.slice(0, 300),
      data,
    };
  }
  if (opts.expect === 'none') data = undefined;
  return { ok: true, status: res.status, data: data as T };
}

/** OctoPrint answers `{"error": "text"}`, Moonraker `{"error": {"message": "text"}}`. */
function errorDetail(data: unknown): string {
  const e = asObject(data)?.error;
  const text = typeof e === 'string' ? e : asObject(e)?.message;
  return typeof text === 'string' ? `: ${text}` : '';
}

/** A JSON object, or undefined: the first check every parser does. */
export function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}
