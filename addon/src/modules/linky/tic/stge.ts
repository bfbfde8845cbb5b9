/**
 * The standard mode status register STGE, 32 bits in 8 hex digits (Enedis-NOI-CPT_54E §6.2.3.14).
 */
export type TempoColour = 'blue' | 'white' | 'red' | 'unknown';

export interface StatusRegister {
  /** Bit 0: the dry contact (relay 1) is open. */
  dry_contact_open: boolean;
  /** Bits 1-3: state of the cut-off device. */
  cut_off:
    | 'closed'
    | 'overload'
    | 'overvoltage'
    | 'load_shedding'
    | 'remote_order'
    | 'overheat_high'
    | 'overheat_low'
    | 'unknown';
  /** Bit 4: the distributor's terminal cover is open. */
  cover_open: boolean;
  /** Bit 6: overvoltage on a phase. */
  overvoltage: boolean;
  /** Bit 7: the subscribed (reference) power is exceeded. */
  over_subscribed_power: boolean;
  /** Bit 8: producer (the meter injects). */
  producer: boolean;
  /** Bit 9: active energy flows to the grid. */
  negative_energy: boolean;
  /** Bits 10-13: index of the supplier tariff in force (1..10). */
  supplier_index: number;
  /** Bits 14-15: index of the distributor tariff in force (1..4). */
  distributor_index: number;
  /** Bit 16: the meter's clock is in degraded mode. */
  clock_degraded: boolean;
  /** Bit 17: TIC in standard mode (0: historic). */
  tic_standard: boolean;
  /** Bits 19-20: Euridis output. */
  euridis: 'disabled' | 'enabled' | 'enabled_secured' | 'unknown';
  /** Bits 21-22: CPL (powerline) status. */
  cpl: 'new_unlock' | 'new_lock' | 'registered' | 'unknown';
  /** Bit 23: CPL synchronised. */
  cpl_synchronised: boolean;
  /** Bits 24-25 and 26-27: Tempo colour of today and tomorrow (0 = not announced). */
  tempo_today: TempoColour;
  tempo_tomorrow: TempoColour;
  /** Bits 28-29: mobile peak notice (0 none, 1..3 PM1..PM3); bits 30-31: mobile peak in progress. */
  mobile_peak_notice: number;
  mobile_peak: number;
}

const CUT_OFF: StatusRegister['cut_off'][] = [
  'closed',
  'overload',
  'overvoltage',
  'load_shedding',
  'remote_order',
  'overheat_high',
  'overheat_low',
];
const COLOURS: TempoColour[] = ['unknown', 'blue', 'white', 'red'];

export function decodeStge(hex: string): StatusRegister | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return undefined;
  const v = Number.parseInt(hex, 16) >>> 0;
  const bits = (from: number, n: number) => (v >>> from) & ((1 << n) - 1);
  return {
    dry_contact_open: bits(0, 1) === 1,
    cut_off: CUT_OFF[bits(1, 3)] ?? 'unknown',
    cover_open: bits(4, 1) === 1,
    overvoltage: bits(6, 1) === 1,
    over_subscribed_power: bits(7, 1) === 1,
    producer: bits(8, 1) === 1,
    negative_energy: bits(9, 1) === 1,
    supplier_index: bits(10, 4) + 1,
    distributor_index: bits(14, 2) + 1,
    clock_degraded: bits(16, 1) === 1,
    tic_standard: bits(17, 1) === 1,
    euridis: (['disabled', 'enabled', 'unknown', 'enabled_secured'] as const)[bits(19, 2)] ?? 'unknown',
    cpl: (['new_unlock', 'new_lock', 'registered', 'unknown'] as const)[bits(21, 2)] ?? 'unknown',
    cpl_synchronised: bits(23, 1) === 1,
    tempo_today: COLOURS[bits(24, 2)] ?? 'unknown',
    tempo_tomorrow: COLOURS[bits(26, 2)] ?? 'unknown',
    mobile_peak_notice: bits(28, 2),
    mobile_peak: bits(30, 2),
  };
}

/** RELAIS: 3 digits, a decimal number whose bits 0..7 are relays 1..8 (1 = closed). */
export function decodeRelays(value: string): boolean[] | undefined {
  if (!/^\d{3}$/.test(value)) return undefined;
  const n = Number(value);
  if (n > 255) return undefined;
  return Array.from({ length: 8 }, (_, i) => ((n >> i) & 1) === 1);
}
