/**
 * A local Conso API (conso.boris.sh) for the sync tests, answering in its documented 2026
 * format (bokub/conso-api `content/migration-2026.md`: Enedis "mesure synchrone" documents with
 * `grandeur[0].points` of `{v, d}` and `p: "PT30M"` on the load curve, dated at the END of each
 * interval) and with its documented error bodies (bokub/linky `test/fixtures/fixtures.cjs`).
 * Tests choose the values, the last day Enedis has published, and failures to inject.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays, daysBetween } from '../../addon/src/modules/linky/enedis/time.js';

export const PRM = '99999999999991';
/** A JWT whose `sub` lists the PRMs (Conso API checks the signature; the client only reads sub). */
export const TOKEN = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: [PRM] })).toString('base64url')}.c2lnbmF0dXJl`;

export interface ConsoRequest {
  type: string;
  from: string;
  to: string;
  params: URLSearchParams;
  userAgent: string;
}

export interface Failure {
  type: string;
  status: number;
  body: unknown;
  /** Only a request starting on this day (any request of the type when absent). */
  from?: string;
  /** How many requests fail (then it answers normally). */
  times: number;
}

export class ConsoServer {
  private server: Server | undefined;
  url = '';
  readonly requests: ConsoRequest[] = [];
  readonly failures: Failure[] = [];
  /** Enedis publishes a day the next morning: nothing after this day is answered. */
  publishedUntil = '9999-12-31';
  consumptionWh = (day: string) => 20_000 + Number(day.slice(-2)) * 100;
  productionWh = (day: string) => 5_000 + Number(day.slice(-2)) * 10;
  maxPowerVa = (day: string) => 4000 + Number(day.slice(-2));
  /** Average W of every half-hour of the load curve. */
  curveW = 2000;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const type = u.pathname.split('/').pop() ?? '';
      const from = u.searchParams.get('dateDebut') ?? '';
      const to = u.searchParams.get('dateFin') ?? '';
      this.requests.push({
        type,
        from,
        to,
        params: u.searchParams,
        userAgent: String(req.headers['user-agent']),
      });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return json(401, {
          status: 401,
          message: "Votre token est invalide ou ne permet pas d'accéder à ce PRM",
        });
      const f = this.failures.find((x) => x.type === type && x.times > 0 && (!x.from || x.from === from));
      if (f) {
        f.times--;
        return json(f.status, f.body);
      }
      const days = daysBetween(from, addDays(to, -1)).filter((d) => d <= this.publishedUntil);
      const doc = (metier: string, physique: string, unite: string, points: unknown[], pas?: string) => ({
        idPrm: PRM,
        etapeMetier: 'BRUT',
        periode: { dateDebut: from, dateFin: to },
        modeCalcul: 'MESURE',
        ...(pas ? { pas } : {}),
        grandeur: [{ grandeurMetier: metier, grandeurPhysique: physique, unite, points, calendrier: [] }],
        contexte: [],
      });
      const daily = (metier: string, value: (d: string) => number) =>
        json(
          200,
          doc(
            metier,
            'EA',
            'Wh',
            days.map((d) => ({ v: String(value(d)), d })),
            'P1D',
          ),
        );
      switch (type) {
        case 'consommation_quotidienne':
          return daily('CONS', this.consumptionWh);
        case 'production_quotidienne':
          return daily('PROD', this.productionWh);
        case 'puissance_conso_max_quotidienne':
          return json(
            200,
            doc(
              'CONS',
              'PMA',
              'VA',
              days.map((d) => ({ v: String(this.maxPowerVa(d)), d: `${d} 19:03:35` })),
              'P1D',
            ),
          );
        case 'courbe_de_charge_consommation': {
          const points: unknown[] = [];
          for (const d of days)
            for (let i = 1; i <= 48; i++) {
              const end =
                i === 48
                  ? `${addDays(d, 1)} 00:00:00`
                  : `${d} ${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}:00`;
              points.push({ v: String(this.curveW), d: end, p: 'PT30M', n: 'B', iv: '0', ec: '0' });
            }
          return json(200, doc('CONS', 'PA', 'W', points));
        }
        default:
          return json(400, { status: 400, message: 'Paramètres invalides' });
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  reset(): void {
    this.requests.length = 0;
    this.failures.length = 0;
    this.publishedUntil = '9999-12-31';
  }

  of(type: string): ConsoRequest[] {
    return this.requests.filter((r) => r.type === type);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
