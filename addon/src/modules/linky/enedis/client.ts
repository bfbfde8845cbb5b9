/**
 * Conso API client (https://conso.boris.sh, documented in bokub/conso-api): bearer token, PRM,
 * `dateDebut` included, `dateFin` excluded, a User-Agent naming this project as the service
 * asks. Quotas (shared by every user of the service, set by Enedis): 5 requests/s and
 * 10 000/h; this client sends at most one request per `minIntervalMs` (1 s) and the sync at
 * most a few dozen per day. Written with Node's fetch rather than the `linky` npm package,
 * which pulls axios and jsonwebtoken for three lines of work.
 */
import { type MeterReadings, parseReadings } from './format.js';

export type DataType =
  | 'consommation_quotidienne'
  | 'courbe_de_charge_consommation'
  | 'puissance_conso_max_quotidienne'
  | 'production_quotidienne'
  | 'courbe_de_charge_production';

export class ConsoApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Worth retrying later (server side, quota), as opposed to a request to fix. */
    readonly retryable: boolean,
    /** Enedis' own error code, when it gave one (ADAM-ERR0123, SGT404…). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ConsoClientOptions {
  baseUrl: string;
  token: string;
  userAgent: string;
  minIntervalMs?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** The PRMs a token gives access to (its JWT `sub`), without verifying the signature. */
export function prmsOfToken(token: string): string[] {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const sub = payload?.sub;
    return (Array.isArray(sub) ? sub : [sub]).filter((s: unknown): s is string => typeof s === 'string');
  } catch {
    return [];
  }
}

/** A clear message from an error answer: Conso API's own, or the Enedis body it relays. */
export function describeError(status: number, body: unknown): { message: string; code?: string } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const inner = (b.error && typeof b.error === 'object' ? b.error : {}) as Record<string, unknown>;
  const code = [inner.error, inner.code, b.code].find((x): x is string => typeof x === 'string');
  const detail = [
    inner.error_description,
    inner.message,
    inner.description,
    b.message,
    b.description,
    typeof b.error === 'string' ? b.error : undefined,
  ]
    .filter((x): x is string => typeof x === 'string' && x.trim() !== '')
    .map((x) => x.trim());
  const text =
    [...new Set(detail)].join(' — ') || (typeof body === 'string' ? body.slice(0, 200) : 'no detail');
  const what =
    status === 400
      ? 'request refused'
      : status === 401
        ? 'token invalid or without access to this PRM (renew it on conso.boris.sh)'
        : status === 403
          ? 'access refused by Enedis'
          : status === 404
            ? 'no data for this period'
            : status === 429
              ? 'too many requests (quota), will retry later'
              : status >= 500
                ? 'Enedis or Conso API unavailable, will retry later'
                : `HTTP ${status}`;
  return { message: `Conso API: ${what}: ${text}${code ? ` [${code}]` : ''}`, ...(code ? { code } : {}) };
}

export class ConsoClient {
  private last = 0;
  private readonly fetchImpl: typeof fetch;
  requests = 0;

  constructor(private readonly opts: ConsoClientOptions) {
    this.fetchImpl = opts.fetchImpl ?? fetch;
  }

  async get(type: DataType, prm: string, start: string, end: string): Promise<MeterReadings> {
    const wait = this.last + (this.opts.minIntervalMs ?? 1000) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.last = Date.now();
    this.requests++;
    const params = new URLSearchParams({ pointId: prm, dateDebut: start, dateFin: end });
    if (type === 'puissance_conso_max_quotidienne') {
      params.set('mesuresPas', 'P1D');
      params.set('grandeurPhysique', 'PMA');
    }
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}/${type}?${params}`;
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        headers: {
          Authorization: `Bearer ${this.opts.token}`,
          Accept: 'application/json',
          'User-Agent': this.opts.userAgent,
        },
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
      });
    } catch (err) {
      throw new ConsoApiError(`Conso API unreachable: ${(err as Error).message}`, 0, true);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // kept as text for the message
    }
    if (!res.ok) {
      const { message, code } = describeError(res.status, body);
      throw new ConsoApiError(
        message,
        res.status,
        res.status === 429 || res.status >= 500 || res.status === 0,
        code,
      );
    }
    try {
      return parseReadings(body);
    } catch (err) {
      throw new ConsoApiError((err as Error).message, res.status, true);
    }
  }
}
