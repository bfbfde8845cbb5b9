/**
 * What `monitor config check` verifies in the `sms` section beyond the schema: the values the
 * module will use at run time (a serial speed the UART can take, phone numbers as the module
 * normalises them, keywords as it matches them, an action or a `domain.service` to call).
 */
import type { CheckReport } from '../../config/semantic.js';
import type { MonitorConfig } from '../../config/types.generated.js';
import { closest } from '../../config/validate.js';
import { type Dictionaries, translator } from '../../core/i18n.js';
import { fold } from './commands.js';
import { callingCode, knownCountries, nationalLengths, parseNumber, trunkPrefix } from './phone.js';

type Sms = NonNullable<MonitorConfig['sms']>;

/** The speeds a serial port takes (termios); 0 asks the module to detect it. */
export const STANDARD_BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

/** HA domains people write in the plural or in words ("lights_on"). */
const DOMAINS = [
  'light',
  'switch',
  'scene',
  'script',
  'climate',
  'cover',
  'fan',
  'lock',
  'automation',
  'input_boolean',
  'notify',
  'media_player',
  'siren',
  'vacuum',
  'alarm_control_panel',
];

const dict: Dictionaries = {
  en: {
    baud: '{baud} is not a standard serial speed ({list}, or 0 to detect)',
    country: 'unknown country "{country}" (an ISO 3166-1 alpha-2 code such as FR, BE, CH)',
    not_number: '"{raw}" is not a phone number',
    bad_length: '"{raw}" becomes {e164}, which has {digits} digits after +{cc} where {expected} are expected',
    invalid: '"{raw}" is not a valid number (country: {name}, {region})',
    extension: '"{raw}" has an extension ({ext}) an SMS cannot reach: write {e164}',
    both: 'both "action" and "service": give only one',
    neither: 'neither "action" nor "service": give one',
    duplicate: '"{keyword}" is the same keyword as {other} "{first}" (case and accents are ignored)',
    service: '"{service}" is not domain.service',
    action: '"{action}" is not module.action',
  },
  fr: {
    baud: '{baud} n’est pas une vitesse série standard ({list}, ou 0 pour la détecter)',
    country: 'pays inconnu « {country} » (un code ISO 3166-1 alpha-2 comme FR, BE, CH)',
    not_number: '« {raw} » n’est pas un numéro de téléphone',
    bad_length: '« {raw} » devient {e164}, soit {digits} chiffres après +{cc} au lieu de {expected}',
    invalid: '« {raw} » n’est pas un numéro valide (pays : {name}, {region})',
    extension: '« {raw} » a un poste ({ext}) qu’un SMS ne peut pas joindre : écrivez {e164}',
    both: '« action » et « service » à la fois : n’en donnez qu’un',
    neither: 'ni « action » ni « service » : donnez-en un',
    duplicate: '« {keyword} » est le même mot-clé que {other} « {first} » (casse et accents ignorés)',
    service: '« {service} » n’est pas de la forme domaine.service',
    action: '« {action} » n’est pas de la forme module.action',
  },
};

export function checkSms(sms: Sms, _root: MonitorConfig, report: CheckReport): void {
  const t = translator(dict, report.lang);
  if (sms.baud !== 0 && !STANDARD_BAUDS.includes(sms.baud))
    report.add(
      'sms.baud',
      t('baud', { baud: sms.baud, list: STANDARD_BAUDS.join(', ') }),
      nearestBaud(sms.baud),
    );
  const country = sms.default_country;
  if (!callingCode(country))
    report.add('sms.default_country', t('country', { country }), countryGuess(country));
  const numbers = (path: string, list: string[]) =>
    list.forEach((raw, i) => {
      const problem = numberProblem(raw, country);
      if (!problem) return;
      const name = problem.key === 'invalid' ? regionName(String(problem.params.region), report.lang) : '';
      report.add(`${path}[${i}]`, t(problem.key, { ...problem.params, name }));
    });
  numbers('sms.default_recipients', sms.default_recipients);
  numbers('sms.commands.authorized_senders', sms.commands.authorized_senders);

  const seen = new Map<string, number>();
  sms.commands.keywords.forEach((k, i) => {
    const path = `sms.commands.keywords[${i}]`;
    if (k.action && k.service) report.add(path, t('both'));
    else if (!k.action && !k.service) report.add(path, t('neither'));
    if (k.service && !/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(k.service))
      report.add(`${path}.service`, t('service', { service: k.service }), serviceGuess(k.service));
    if (k.action && !/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(k.action))
      report.add(`${path}.action`, t('action', { action: k.action }));
    const first = seen.get(fold(k.keyword));
    if (first !== undefined) {
      const other = sms.commands.keywords[first]?.keyword ?? '';
      report.add(
        `${path}.keyword`,
        t('duplicate', { keyword: k.keyword, other: `keywords[${first}]`, first: other }),
      );
    } else seen.set(fold(k.keyword), i);
  });
}

/** A standard speed one typo away (11520 → 115200), else the nearest one. */
function nearestBaud(baud: number): string {
  const typo = closest(String(baud), STANDARD_BAUDS.map(String));
  if (typo) return typo;
  const nearest = STANDARD_BAUDS.reduce((a, b) => (Math.abs(b - baud) < Math.abs(a - baud) ? b : a));
  return String(nearest);
}

export type NumberProblem = {
  key: 'not_number' | 'bad_length' | 'invalid' | 'extension';
  params: Record<string, string | number>;
};

/**
 * Why a number would not reach anyone once parsed as the module parses it (libphonenumber-js,
 * `max` metadata), or undefined: not a number, a wrong digit count for its country, digits no
 * number of that country starts with, or an extension an SMS cannot dial.
 */
export function numberProblem(raw: string, country: string): NumberProblem | undefined {
  const parsed = parseNumber(raw, country);
  if (!parsed) return { key: 'not_number', params: { raw } };
  const cc = parsed.countryCallingCode;
  if (parsed.isValid())
    return parsed.ext
      ? { key: 'extension', params: { raw, ext: parsed.ext, e164: parsed.number } }
      : undefined;
  const region = parsed.country ?? regionOf(cc, country);
  // libphonenumber keeps the trunk 0 when the rest is too short ("06 12 34 56 7" → +33061234567):
  // the digit count people can act on is the one after it.
  const prefix = region ? trunkPrefix(region) : undefined;
  let national: string = parsed.nationalNumber;
  if (prefix && national.startsWith(prefix)) national = national.slice(prefix.length);
  const lengths = region ? nationalLengths(region) : [];
  if (!region || !lengths.includes(national.length))
    return {
      key: 'bad_length',
      params: { raw, e164: `+${cc}${national}`, digits: national.length, cc, expected: lengthsText(lengths) },
    };
  return { key: 'invalid', params: { raw, region } };
}

/** The default country when it shares the calling code, else the first country that has it. */
function regionOf(cc: string, country: string): string | undefined {
  if (callingCode(country) === cc) return country.toUpperCase();
  return knownCountries().find((c) => callingCode(c) === cc);
}

/** [9] → "9", [8, 9] → "8–9", [5, 7, 9] → "5, 7, 9". */
function lengthsText(lengths: number[]): string {
  const [min, max] = [Math.min(...lengths), Math.max(...lengths)];
  if (lengths.length === 0) return '?';
  if (min === max) return String(min);
  return max - min + 1 === lengths.length ? `${min}–${max}` : lengths.join(', ');
}

/**
 * The code of the country written by name or its start ("France", "Suisse", "FRA", "belg"),
 * in English or French; exact names win over starts. (Any two letters are one typo away from
 * a dozen codes: no guess from the letters alone.)
 */
function countryGuess(written: string): string | undefined {
  const w = fold(written.trim());
  if (w.length >= 3) {
    const named = knownCountries().map((c) => ({
      c,
      names: ['en', 'fr'].map((l) => fold(regionName(c, l))),
    }));
    const hit =
      named.find((n) => n.names.includes(w)) ?? named.find((n) => n.names.some((x) => x.startsWith(w)));
    if (hit) return hit.c;
  }
  return undefined;
}

/** "France" in English and in French, from the ICU data Node ships. */
function regionName(region: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(region) ?? region;
  } catch {
    return region;
  }
}

/** "lights_on" → "light.turn_on"; "light_turn_on" → "light.turn_on". */
function serviceGuess(service: string): string | undefined {
  const words = service
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  for (let n = Math.min(3, words.length - 1); n >= 1; n--) {
    const head = words.slice(0, n).join('_');
    const domain = DOMAINS.find((d) => d === head || `${d}s` === head);
    if (!domain) continue;
    const rest = words.slice(n).join('_');
    return `${domain}.${rest === 'on' || rest === 'off' ? `turn_${rest}` : rest}`;
  }
  return undefined;
}
