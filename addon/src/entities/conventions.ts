/**
 * How Monitor's entities read in Home Assistant, as one pure check over the declarations of
 * every module, in English and French (test/entities/conventions.test.ts runs it; a new module
 * adds its declarations there in one line). Each rule is something a newcomer saw in HA:
 * codes instead of words, `4.00 A`, `37,037,406 Wh`, "SMS modem SMS sent", "SIMCOM_SIM800L by
 * SIMCOM_Ltd", a problem sensor holding a URL, every device in the gateway's area.
 */
import type { DeviceDeclaration, EntitySpec } from './model.js';

/** Words that are the same in French and English (no translation expected). */
const SAME_IN_BOTH = new Set([
  'Signal',
  'Version',
  'PRM',
  'Pause',
  'Contact',
  'Date',
  'Tempo',
  'Base',
  'EJP',
  'Normal',
  'Push',
  'OK',
]);

/** Device classes whose state is a number. */
const NUMERIC_CLASSES = new Set([
  'apparent_power',
  'current',
  'voltage',
  'power',
  'energy',
  'temperature',
  'signal_strength',
  'duration',
  'battery',
  'humidity',
]);

/** Units HA accepts per device class (homeassistant/components/sensor/const.py, 2026.11). */
const UNITS: Record<string, string[]> = {
  apparent_power: ['mVA', 'VA', 'kVA'],
  current: ['mA', 'A'],
  voltage: ['µV', 'mV', 'V', 'kV', 'MV'],
  power: ['mW', 'W', 'kW', 'MW', 'GW', 'TW', 'BTU/h'],
  energy: ['J', 'kJ', 'MJ', 'GJ', 'mWh', 'Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'cal', 'kcal', 'Mcal', 'Gcal'],
  temperature: ['°C', '°F', 'K'],
  signal_strength: ['dB', 'dBm'],
  duration: ['d', 'h', 'min', 's', 'ms', 'µs'],
};

/** Entity keys that describe the link or the software, not the house: diagnostics. */
const DIAGNOSTIC_KEY = /(^|_)(version|started_at|errors|link|mode|dbm|operator|sim|registration)$/;

/** A company's legal form at the end of a name ("SIMCOM_Ltd", "Foo Co., Ltd."). */
const LEGAL_SUFFIX = /[\s_,]*(co\.?,?\s*)?(ltd\.?|inc\.?|gmbh|corp\.?|s\.?a\.?)$/i;

export interface LangDeclarations {
  en: DeviceDeclaration[];
  fr: DeviceDeclaration[];
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
const words = (s: string) =>
  fold(s)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1);

/** Every convention broken by these declarations, as `device.key: problem`. Empty: all good. */
export function conventionProblems(d: LangDeclarations): string[] {
  const out: string[] = [];
  for (const [i, en] of d.en.entries()) {
    const fr = d.fr[i];
    const dev = en.device.id;
    if (!fr || fr.device.id !== dev) {
      out.push(`${dev}: no French declaration in the same order`);
      continue;
    }
    out.push(...deviceProblems(en, fr));
    for (const e of en.entities) {
      const f = fr.entities.find((x) => x.key === e.key);
      if (!f) out.push(`${dev}.${e.key}: missing in French`);
      else
        out.push(...entityProblems(en.device.name, fr.device.name, e, f).map((p) => `${dev}.${e.key}: ${p}`));
    }
  }
  return out;
}

function deviceProblems(en: DeviceDeclaration, fr: DeviceDeclaration): string[] {
  const out: string[] = [];
  const d = en.device;
  const say = (p: string) => out.push(`${d.id} (device): ${p}`);
  for (const k of ['manufacturer', 'model'] as const) {
    const v = d[k];
    if (v === undefined) continue;
    if (v.includes('_')) say(`${k} "${v}" is a raw code (underscore)`);
    if (LEGAL_SUFFIX.test(v)) say(`${k} "${v}" carries a company suffix`);
  }
  if (d.manufacturer && d.model && fold(d.model).startsWith(fold(d.manufacturer)))
    say(`model "${d.model}" repeats the manufacturer: HA shows "${d.model} by ${d.manufacturer}"`);
  if (d.sw_version && /^\s*revision\b/i.test(d.sw_version))
    say(`sw_version "${d.sw_version}" keeps its prefix`);
  if (d.id !== 'gateway') {
    // HA's frontend shows a child device in its parent's area when it has none of its own
    // (home-assistant/frontend#53617): each module says whether its device is at the gateway.
    if (d.via_gateway === undefined)
      say('via_gateway is not said (true only for a device beside the gateway)');
    if (d.suggested_area) say('suggested_area is set by the code (only the user knows the area)');
  }
  if ((en.device.model === undefined) !== (fr.device.model === undefined)) say('model in one language only');
  return out;
}

function entityProblems(devEn: string, devFr: string, e: EntitySpec, f: EntitySpec): string[] {
  const out: string[] = [];
  for (const [lang, dev, x] of [
    ['en', devEn, e],
    ['fr', devFr, f],
  ] as const) {
    if (x.name === null) continue;
    if (!/^[\p{Lu}\d]/u.test(x.name)) out.push(`${lang} name "${x.name}" does not start with a capital`);
    const repeated = words(x.name).filter((w) => words(dev).includes(w));
    if (repeated.length > 0)
      out.push(`${lang} name "${x.name}" repeats "${repeated.join(' ')}" of the device name "${dev}"`);
  }
  if (e.name !== null && e.name === f.name && !e.name.split(/\s+/).every((w) => SAME_IN_BOTH.has(w)))
    out.push(`name "${e.name}" is not translated`);
  if (e.device_class === 'enum') {
    if (!e.state_labels || !f.state_labels) out.push('enum without state_labels: HA would show raw codes');
    else
      for (const [code, label] of Object.entries(e.state_labels)) {
        const fl = f.state_labels[code];
        if (!/^\p{Lu}/u.test(label) || !fl || !/^\p{Lu}/u.test(fl))
          out.push(`enum code "${code}" is shown as "${label}" / "${fl}", not as a word`);
        else if (label === fl && !SAME_IN_BOTH.has(label))
          out.push(`enum label "${label}" is not translated`);
      }
  }
  const numeric =
    e.component === 'sensor' &&
    (e.unit !== undefined || e.state_class !== undefined || NUMERIC_CLASSES.has(e.device_class ?? ''));
  if (numeric && e.suggested_display_precision === undefined)
    out.push('numeric sensor without suggested_display_precision (HA shows "4.00 A")');
  if (e.device_class === 'energy') {
    const shown = (e.extra?.suggested_unit_of_measurement as string | undefined) ?? e.unit;
    if (shown !== 'kWh') out.push(`energy shown in ${shown} (HA users read kWh)`);
  }
  const allowed = UNITS[e.device_class ?? ''];
  if (allowed && e.unit && !allowed.includes(e.unit))
    out.push(`unit ${e.unit} is not one HA knows for ${e.device_class}`);
  if (e.unit === '%' && /(errors|count|sent|failed)$/.test(e.key)) out.push('a count in %');
  if (e.key === 'uptime' || (e.device_class === 'duration' && e.entity_category === 'diagnostic'))
    out.push('an uptime re-published every minute: declare a started_at timestamp');
  if (
    (DIAGNOSTIC_KEY.test(e.key) || e.device_class === 'signal_strength') &&
    e.entity_category !== 'diagnostic'
  )
    out.push('link or software detail outside the diagnostics');
  if (
    /problem/i.test(e.key) &&
    (e.component !== 'binary_sensor' || e.device_class !== 'problem' || !e.attributes_key)
  )
    out.push('a problem is a binary_sensor (device_class problem) with its detail in an attribute');
  return out;
}
