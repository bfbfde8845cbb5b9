/**
 * Numbers, money, dates and times in the user's language through `Intl`, with the formatters
 * cached (building one costs far more than using it, and cards format on every render).
 */
import type { Lang } from './i18n.js';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n${lang}${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(lang, options);
    cache.set(key, f);
  }
  return f;
}

function dateFormat(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d${lang}${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(lang, options);
    cache.set(key, f);
  }
  return f;
}

export function formatNumber(lang: Lang, value: number, decimals = 0): string {
  return numberFormat(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(
    value,
  );
}

/** A number and its unit, with the non-breaking space both languages put between them. */
export function withUnit(lang: Lang, value: number, unit: string, decimals = 0): string {
  return `${formatNumber(lang, value, decimals)}\u00a0${unit}`;
}

export function formatMoney(lang: Lang, value: number, currency: string): string {
  try {
    return numberFormat(lang, { style: 'currency', currency }).format(value);
  } catch {
    return withUnit(lang, value, currency, 2);
  }
}

export function formatDate(lang: Lang, ms: number, options: Intl.DateTimeFormatOptions): string {
  return dateFormat(lang, options).format(ms);
}

export function formatClock(lang: Lang, ms: number): string {
  return dateFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** A duration as `1 h 05 min` / `12 min` / `45 s`. */
export function formatDuration(lang: Lang, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}\u00a0h\u00a0${String(m).padStart(2, '0')}`;
  if (m > 0) return `${m}\u00a0min`;
  return `${formatNumber(lang, s)}\u00a0s`;
}
