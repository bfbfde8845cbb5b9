/**
 * Conso API responses (https://conso.boris.sh/documentation). Since the 2026 migration the
 * service answers in Enedis' "mesure synchrone v2" format:
 *   {idPrm, periode, pas?, grandeur: [{grandeurMetier, grandeurPhysique, unite, points: [{v, d, p?}]}]}
 * Before it, in the legacy v5 format, flattened by Conso API: {usage_point_id, reading_type,
 * interval_reading: [{value, date, interval_length?}]} (or wrapped in `meter_reading`). Both are
 * read, so a cached or older deployment still works. Load-curve dates are the END of each
 * interval (documented by MyElectricalData's captures of both formats).
 */
export interface MeterPoint {
  /** As given: "2026-09-29" (daily) or "2026-09-29 00:30:00" (curve end, max power time). */
  date: string;
  /** null when Enedis has no value for that point. */
  value: number | null;
  /** Interval length in minutes for curve points (30 by default). */
  intervalMin?: number;
}

export interface MeterReadings {
  unit: string;
  points: MeterPoint[];
}

const minutesOf = (p: unknown): number | undefined => {
  const m = typeof p === 'string' ? /^PT(\d+)M$/.exec(p) : null;
  return m ? Number(m[1]) : undefined;
};

const numOrNull = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** Reads either format; throws an Error with a clear message on anything else. */
export function parseReadings(body: unknown): MeterReadings {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object') throw new Error('Conso API answered something that is not a JSON object');
  if (Array.isArray(b.grandeur)) {
    const g = b.grandeur[0] as Record<string, unknown> | undefined;
    const points = Array.isArray(g?.points) ? (g.points as Array<Record<string, unknown>>) : [];
    return {
      unit: String(g?.unite ?? ''),
      points: points.map((p) => {
        const intervalMin = minutesOf(p.p);
        return { date: String(p.d), value: numOrNull(p.v), ...(intervalMin ? { intervalMin } : {}) };
      }),
    };
  }
  const mr = (b.meter_reading as Record<string, unknown> | undefined) ?? b;
  if (Array.isArray(mr.interval_reading)) {
    const rt = mr.reading_type as Record<string, unknown> | undefined;
    return {
      unit: String(rt?.unit ?? ''),
      points: (mr.interval_reading as Array<Record<string, unknown>>).map((p) => {
        const intervalMin = minutesOf(p.interval_length);
        return { date: String(p.date), value: numOrNull(p.value), ...(intervalMin ? { intervalMin } : {}) };
      }),
    };
  }
  throw new Error('Conso API answered an unknown format (neither "grandeur" nor "interval_reading")');
}
