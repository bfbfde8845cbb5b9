/**
 * What a frame means to a person: contract, tariff period, Tempo colours, per-tariff indexes
 * with names one understands ("Heures creuses jour bleu"), powers, currents, overload.
 * Pure: a frame in, plain values out (used by the CLI, the entities and the tests).
 */
import type { TicFrame } from './decoder.js';
import { decodeRelays, decodeStge, type StatusRegister, type TempoColour } from './stge.js';

export type { TempoColour } from './stge.js';
export type TariffPeriod = 'base' | 'off_peak' | 'peak' | 'normal' | 'mobile_peak' | 'unknown';
export type ContractKind = 'base' | 'hchp' | 'ejp' | 'tempo' | 'producer' | 'other';

export interface EnergyIndex {
  /** TIC label (BBRHCJB, EASF03…). */
  label: string;
  wh: number;
  name: { en: string; fr: string };
}

export interface Derived {
  phases: 1 | 3;
  contract?: string;
  contract_kind?: ContractKind;
  tariff_period?: TariffPeriod;
  tariff_label?: string;
  tempo_today?: TempoColour;
  tempo_tomorrow?: TempoColour;
  apparent_power_va?: number;
  apparent_power_phases_va?: number[];
  injected_power_va?: number;
  current_a?: number;
  current_phases_a?: number[];
  voltage_phases_v?: number[];
  subscribed_current_a?: number;
  subscribed_power_kva?: number;
  cut_power_kva?: number;
  max_power_today_va?: number;
  max_power_yesterday_va?: number;
  energy_total_wh?: number;
  energy_injected_wh?: number;
  indexes?: EnergyIndex[];
  overload?: boolean;
  overload_current_a?: number;
  ejp_notice?: boolean;
  relays?: boolean[];
  status?: StatusRegister;
  meter_time?: string;
  message?: string;
}

const num = (f: TicFrame, label: string): number | undefined => {
  const v = f.values[label]?.value;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
};

const COLOUR_FR: Record<TempoColour, string> = { blue: 'bleu', white: 'blanc', red: 'rouge', unknown: '?' };
const COLOUR_EN: Record<TempoColour, string> = { blue: 'blue', white: 'white', red: 'red', unknown: '?' };

function tempoName(period: 'off_peak' | 'peak', c: TempoColour) {
  return period === 'off_peak'
    ? { en: `Off-peak hours ${COLOUR_EN[c]} day`, fr: `Heures creuses jour ${COLOUR_FR[c]}` }
    : { en: `Peak hours ${COLOUR_EN[c]} day`, fr: `Heures pleines jour ${COLOUR_FR[c]}` };
}

const NAMES: Record<string, { en: string; fr: string }> = {
  BASE: { en: 'Base', fr: 'Base' },
  HCHC: { en: 'Off-peak hours', fr: 'Heures creuses' },
  HCHP: { en: 'Peak hours', fr: 'Heures pleines' },
  EJPHN: { en: 'EJP normal hours', fr: 'EJP heures normales' },
  EJPHPM: { en: 'EJP mobile peak hours', fr: 'EJP heures de pointe mobile' },
  BBRHCJB: tempoName('off_peak', 'blue'),
  BBRHPJB: tempoName('peak', 'blue'),
  BBRHCJW: tempoName('off_peak', 'white'),
  BBRHPJW: tempoName('peak', 'white'),
  BBRHCJR: tempoName('off_peak', 'red'),
  BBRHPJR: tempoName('peak', 'red'),
};

/** Names of the supplier indexes EASF01.. per contract (the order the suppliers' grids use). */
const STANDARD_INDEX_NAMES: Partial<Record<ContractKind, Array<{ en: string; fr: string }>>> = {
  base: [NAMES.BASE!],
  hchp: [NAMES.HCHC!, NAMES.HCHP!],
  ejp: [NAMES.EJPHN!, NAMES.EJPHPM!],
  tempo: [NAMES.BBRHCJB!, NAMES.BBRHPJB!, NAMES.BBRHCJW!, NAMES.BBRHPJW!, NAMES.BBRHCJR!, NAMES.BBRHPJR!],
};

const COLOUR_LETTER: Record<string, TempoColour> = { B: 'blue', W: 'white', R: 'red' };
const DEMAIN: Record<string, TempoColour> = { BLEU: 'blue', BLAN: 'white', ROUG: 'red', '----': 'unknown' };

export function contractKindOf(contract: string): ContractKind {
  const c = contract.trim().toUpperCase();
  if (c.startsWith('BBR') || c.includes('TEMPO')) return 'tempo';
  if (c.includes('EJP')) return 'ejp';
  if (c === 'BASE' || c === 'TH..') return 'base';
  if (c.startsWith('HC') || c.includes('CREUSE') || c.includes('HP/HC') || c.includes('HC/HP')) return 'hchp';
  if (c.includes('PRODUCTEUR')) return 'producer';
  return 'other';
}

/** Period and colour from a standard LTARF label ("    HP  BLEU    ", " HEURE  CREUSE  "). */
export function parseTariffLabel(label: string): { period: TariffPeriod; colour?: TempoColour } {
  const l = ` ${label.toUpperCase().replace(/\s+/g, ' ').trim()} `;
  const colour = l.includes('BLEU')
    ? 'blue'
    : l.includes('BLANC')
      ? 'white'
      : l.includes('ROUGE')
        ? 'red'
        : undefined;
  let period: TariffPeriod = 'unknown';
  if (l.includes('CREUSE') || l.includes(' HC ')) period = 'off_peak';
  else if (l.includes('PLEINE') || l.includes(' HP ')) period = 'peak';
  else if (l.includes('POINTE') || l.includes(' PM ')) period = 'mobile_peak';
  else if (l.includes('NORMAL') || l.includes(' HN ')) period = 'normal';
  else if (l.includes('BASE')) period = 'base';
  return colour ? { period, colour } : { period };
}

function historic(f: TicFrame, d: Derived): void {
  const optarif = f.values.OPTARIF?.value;
  if (optarif) {
    d.contract = optarif;
    d.contract_kind = contractKindOf(optarif);
  }
  const ptec = f.values.PTEC?.value;
  if (ptec) {
    const p = ptec.slice(0, 2);
    d.tariff_label = ptec;
    d.tariff_period =
      p === 'TH'
        ? 'base'
        : p === 'HC'
          ? 'off_peak'
          : p === 'HP'
            ? 'peak'
            : p === 'HN'
              ? 'normal'
              : p === 'PM'
                ? 'mobile_peak'
                : 'unknown';
    if (/^H[CP]J[BWR]$/.test(ptec)) d.tempo_today = COLOUR_LETTER[ptec[3]!] ?? 'unknown';
  }
  const demain = f.values.DEMAIN?.value;
  if (demain !== undefined) d.tempo_tomorrow = DEMAIN[demain] ?? 'unknown';
  // A colour comes only from its own group: a frame that lost PTEC or DEMAIN says nothing about
  // them (an "unknown" here would flip the entity to unknown and back).
  d.apparent_power_va = num(f, 'PAPP');
  const three = ['IINST1', 'IINST2', 'IINST3'].map((l) => num(f, l));
  if (three.some((x) => x !== undefined)) d.phases = 3;
  // Per-phase values and their maximum only from a complete set (never a missing phase as 0).
  const allThree = three.every((x) => x !== undefined) ? (three as number[]) : undefined;
  if (allThree) d.current_phases_a = allThree;
  d.current_a = num(f, 'IINST') ?? (allThree ? Math.max(...allThree) : undefined);
  d.subscribed_current_a = num(f, 'ISOUSC');
  // A historic subscription of N amperes is N/5 kVA (30 A = 6 kVA), as Enedis states it.
  if (d.subscribed_current_a !== undefined) d.subscribed_power_kva = d.subscribed_current_a / 5;
  const indexes: EnergyIndex[] = [];
  for (const label of Object.keys(NAMES)) {
    const wh = num(f, label);
    if (wh !== undefined) indexes.push({ label, wh, name: NAMES[label]! });
  }
  if (indexes.length) {
    d.indexes = indexes;
    d.energy_total_wh = indexes.reduce((s, i) => s + i.wh, 0);
  }
  const adir = ['ADIR1', 'ADIR2', 'ADIR3'].map((l) => num(f, l)).filter((x): x is number => x !== undefined);
  const adps = num(f, 'ADPS');
  d.overload = adps !== undefined || adir.length > 0;
  if (d.overload) d.overload_current_a = adps ?? Math.max(...adir);
  if (d.contract_kind === 'ejp') d.ejp_notice = f.values.PEJP !== undefined;
}

function standard(f: TicFrame, d: Derived): void {
  const ngtf = f.values.NGTF?.value;
  if (ngtf !== undefined) {
    d.contract = ngtf.trim();
    d.contract_kind = contractKindOf(ngtf);
  }
  const ltarf = f.values.LTARF?.value;
  const parsed = ltarf !== undefined ? parseTariffLabel(ltarf) : undefined;
  if (ltarf !== undefined) d.tariff_label = ltarf.trim();
  if (parsed) d.tariff_period = parsed.period;
  const stge = f.values.STGE ? decodeStge(f.values.STGE.value) : undefined;
  if (stge) d.status = stge;
  const ntarf = num(f, 'NTARF');
  // Today: LTARF names the colour when it can; else NTARF's index in a Tempo grid (1-2 blue,
  // 3-4 white, 5-6 red); else STGE bits 24-25 (0 = not announced). Tomorrow: bits 26-27.
  const fromIndex: TempoColour | undefined =
    d.contract_kind === 'tempo' && ntarf !== undefined && ntarf >= 1 && ntarf <= 6
      ? (['blue', 'white', 'red'] as const)[Math.ceil(ntarf / 2) - 1]
      : undefined;
  const today =
    parsed?.colour ?? fromIndex ?? (stge && stge.tempo_today !== 'unknown' ? stge.tempo_today : undefined);
  // "unknown" only when a group that tells the colours says so (STGE: not announced), never
  // because the groups were lost in this frame.
  if (today || (stge && (d.contract_kind === 'tempo' || stge.tempo_tomorrow !== 'unknown'))) {
    d.tempo_today = today ?? 'unknown';
    if (stge) d.tempo_tomorrow = stge.tempo_tomorrow;
  }
  d.apparent_power_va = num(f, 'SINSTS');
  const phases = ['SINSTS1', 'SINSTS2', 'SINSTS3'].map((l) => num(f, l));
  const currents = ['IRMS1', 'IRMS2', 'IRMS3'].map((l) => num(f, l));
  const volts = ['URMS1', 'URMS2', 'URMS3'].map((l) => num(f, l));
  const complete = (xs: Array<number | undefined>) =>
    xs.every((x) => x !== undefined) ? (xs as number[]) : undefined;
  if (phases.some((x) => x !== undefined) || currents[1] !== undefined) {
    d.phases = 3;
    // Per-phase values only from a complete set (a lost group is not a phase at 0).
    d.apparent_power_phases_va = complete(phases);
    d.current_phases_a = complete(currents);
    d.voltage_phases_v = complete(volts);
  } else {
    if (volts[0] !== undefined) d.voltage_phases_v = [volts[0]];
  }
  d.current_a =
    d.phases === 3 ? (d.current_phases_a ? Math.max(...d.current_phases_a) : undefined) : currents[0];
  d.injected_power_va = num(f, 'SINSTI');
  d.subscribed_power_kva = num(f, 'PREF');
  d.cut_power_kva = num(f, 'PCOUP');
  d.max_power_today_va = num(f, 'SMAXSN');
  d.max_power_yesterday_va = num(f, 'SMAXSN-1');
  d.energy_total_wh = num(f, 'EAST');
  d.energy_injected_wh = num(f, 'EAIT');
  const names = STANDARD_INDEX_NAMES[d.contract_kind ?? 'other'] ?? [];
  const indexes: EnergyIndex[] = [];
  for (let i = 1; i <= 10; i++) {
    const label = `EASF${String(i).padStart(2, '0')}`;
    const wh = num(f, label);
    if (wh === undefined) continue;
    // Indexes beyond the contract's grid are kept only when they count something.
    if (i > names.length && wh === 0 && ntarf !== i) continue;
    indexes.push({
      label,
      wh,
      name: names[i - 1] ?? { en: `Supplier index ${i}`, fr: `Index fournisseur ${i}` },
    });
  }
  if (indexes.length) d.indexes = indexes;
  if (stge) d.overload = stge.over_subscribed_power;
  const relais = f.values.RELAIS ? decodeRelays(f.values.RELAIS.value) : undefined;
  if (relais) d.relays = relais;
  if (f.values.DATE?.date) d.meter_time = f.values.DATE.date.iso;
  const msg = f.values.MSG1?.value.trim();
  if (msg) d.message = msg;
}

/** Derived values of one frame. Absent values stay absent (never invented). */
export function deriveValues(f: TicFrame): Derived {
  const d: Derived = { phases: 1 };
  if (f.mode === 'historic') historic(f, d);
  else standard(f, d);
  for (const k of Object.keys(d) as Array<keyof Derived>) if (d[k] === undefined) delete d[k];
  return d;
}
