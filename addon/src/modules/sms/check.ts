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
import { callingCode, knownCountries, normalizeNumber } from './phone.js';

type Sms = NonNullable<MonitorConfig['sms']>;

/** The speeds a serial port takes (termios); 0 asks the module to detect it. */
export const STANDARD_BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

/** Digits after the country code in a valid number (ITU-T E.164 national plans). */
const SUBSCRIBER_DIGITS: Record<string, [number, number]> = {
  '33': [9, 9],
  '32': [8, 9],
  '41': [9, 9],
  '352': [4, 11],
  '377': [8, 9],
  '49': [6, 13],
  '34': [9, 9],
  '39': [6, 11],
  '351': [9, 9],
  '31': [9, 9],
  '44': [9, 10],
  '353': [7, 9],
  '43': [4, 13],
  '1': [10, 10],
  '262': [9, 9],
  '590': [9, 9],
  '596': [9, 9],
  '594': [9, 9],
};

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
    country: 'unknown country "{country}" ({list})',
    not_number: '"{raw}" is not a phone number',
    bad_length: '"{raw}" becomes {e164}, which has {digits} digits after +{cc} where {expected} are expected',
    both: 'both "action" and "service": give only one',
    neither: 'neither "action" nor "service": give one',
    duplicate: '"{keyword}" is the same keyword as {other} "{first}" (case and accents are ignored)',
    service: '"{service}" is not domain.service',
    action: '"{action}" is not module.action',
  },
  fr: {
    baud: '{baud} n’est pas une vitesse série standard ({list}, ou 0 pour la détecter)',
    country: 'pays inconnu « {country} » ({list})',
    not_number: '« {raw} » n’est pas un numéro de téléphone',
    bad_length: '« {raw} » devient {e164}, soit {digits} chiffres après +{cc} au lieu de {expected}',
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
    report.add(
      'sms.default_country',
      t('country', { country, list: knownCountries().join(', ') }),
      closest(country.toUpperCase(), knownCountries()),
    );
  const numbers = (path: string, list: string[]) =>
    list.forEach((raw, i) => {
      const problem = numberProblem(raw, country);
      if (problem) report.add(`${path}[${i}]`, t(problem.key, problem.params));
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

/** Why a number would not reach anyone once normalised as the module does, or undefined. */
export function numberProblem(
  raw: string,
  country: string,
): { key: 'not_number' | 'bad_length'; params: Record<string, string | number> } | undefined {
  const e164 = normalizeNumber(raw, country);
  if (!/^\+\d+$/.test(e164)) return { key: 'not_number', params: { raw } };
  const digits = e164.slice(1);
  const cc = Object.keys(SUBSCRIBER_DIGITS)
    .filter((c) => digits.startsWith(c))
    .sort((a, b) => b.length - a.length)[0];
  const [min, max] = cc ? (SUBSCRIBER_DIGITS[cc] as [number, number]) : [7, 14];
  const rest = digits.length - (cc?.length ?? 0);
  if (rest >= min && rest <= max && digits.length <= 15) return undefined;
  return {
    key: 'bad_length',
    params: { raw, e164, digits: rest, cc: cc ?? '', expected: min === max ? min : `${min}–${max}` },
  };
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
