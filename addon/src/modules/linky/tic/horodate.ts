/**
 * Standard-mode horodates (Enedis-NOI-CPT_54E §6.2.1.1): `SAAMMJJhhmmss`, where S is the
 * season: E summer (UTC+2), H winter (UTC+1), lower case when the meter's clock is degraded,
 * a space when the season is unknown.
 */
export interface Horodate {
  /** The 13 characters as received. */
  raw: string;
  season: 'summer' | 'winter' | 'unknown';
  /** The meter's clock runs in degraded mode (lower-case season letter). */
  degraded: boolean;
  /** ISO 8601 with the season's offset (no offset when the season is unknown). */
  iso: string;
}

const HORODATE = /^([EeHh ])(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/** Parses a horodate; undefined when it is not one (wrong length, impossible date). */
export function parseHorodate(raw: string): Horodate | undefined {
  const m = HORODATE.exec(raw);
  if (!m) return undefined;
  const [, s, yy, mo, dd, hh, mi, ss] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const month = Number(mo);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 59)
    return undefined;
  const season = s === 'E' || s === 'e' ? 'summer' : s === 'H' || s === 'h' ? 'winter' : 'unknown';
  const offset = season === 'summer' ? '+02:00' : season === 'winter' ? '+01:00' : '';
  return {
    raw,
    season,
    degraded: s === 'e' || s === 'h',
    iso: `20${yy}-${mo}-${dd}T${hh}:${mi}:${ss}${offset}`,
  };
}
