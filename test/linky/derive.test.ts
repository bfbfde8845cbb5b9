/**
 * Derived values (tic/derive.ts, tic/stge.ts): tariff period and Tempo colours of each contract
 * in both modes, STGE bits, relays, overload, index names. Expected values come from the tables
 * of Enedis-NOI-CPT_54E (historic §6.1, standard §6.2.3: STGE bit layout, RELAIS, LTARF, NTARF),
 * written out by hand here rather than computed by the code under test; the last cases run on
 * the real captures of fixtures/.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeAll, type TicFrame } from '../../addon/src/modules/linky/tic/decoder.js';
import { contractKindOf, deriveValues, parseTariffLabel } from '../../addon/src/modules/linky/tic/derive.js';
import { decodeRelays, decodeStge } from '../../addon/src/modules/linky/tic/stge.js';
import { ticBytes } from './load-fixture.js';

function frameOf(mode: TicFrame['mode'], values: Record<string, string>): TicFrame {
  return {
    mode,
    groups: [],
    values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])),
    invalid: [],
    short: false,
  };
}
const historic = (v: Record<string, string>) => deriveValues(frameOf('historic', v));
const standard = (v: Record<string, string>) => deriveValues(frameOf('standard', v));

/** STGE as the meter sends it: 8 hex digits, from [first bit, field value] pairs of §6.2.3.14. */
function stge(...fields: Array<[number, number]>): string {
  let v = 0;
  for (const [bit, value] of fields) v = (v | (value << bit)) >>> 0;
  return v.toString(16).toUpperCase().padStart(8, '0');
}
const TODAY = 24;
const TOMORROW = 26;
const BLUE = 1;
const WHITE = 2;
const RED = 3;

describe('tariff period per contract', () => {
  it('historic base, HP/HC and EJP from PTEC', () => {
    const base = historic({ OPTARIF: 'BASE', PTEC: 'TH..', BASE: '012345678', ISOUSC: '30' });
    assert.equal(base.contract_kind, 'base');
    assert.equal(base.tariff_period, 'base');
    assert.equal(base.tempo_today, undefined);
    assert.equal(base.subscribed_power_kva, 6);
    assert.deepEqual(base.indexes, [{ label: 'BASE', wh: 12345678, name: { en: 'Base', fr: 'Base' } }]);

    const hc = historic({ OPTARIF: 'HC..', PTEC: 'HC..', HCHC: '000001000', HCHP: '000002500' });
    assert.equal(hc.contract_kind, 'hchp');
    assert.equal(hc.tariff_period, 'off_peak');
    assert.equal(historic({ OPTARIF: 'HC..', PTEC: 'HP..' }).tariff_period, 'peak');
    assert.deepEqual(
      hc.indexes?.map((i) => [i.label, i.wh, i.name.fr]),
      [
        ['HCHC', 1000, 'Heures creuses'],
        ['HCHP', 2500, 'Heures pleines'],
      ],
    );
    assert.equal(hc.energy_total_wh, 3500);

    const ejp = historic({ OPTARIF: 'EJP.', PTEC: 'HN..', EJPHN: '000000010', EJPHPM: '000000020' });
    assert.equal(ejp.contract_kind, 'ejp');
    assert.equal(ejp.tariff_period, 'normal');
    assert.equal(ejp.ejp_notice, false);
    const pm = historic({ OPTARIF: 'EJP.', PTEC: 'PM..', PEJP: '30' });
    assert.equal(pm.tariff_period, 'mobile_peak');
    assert.equal(pm.ejp_notice, true);
    assert.deepEqual(
      ejp.indexes?.map((i) => i.name.fr),
      ['EJP heures normales', 'EJP heures de pointe mobile'],
    );
  });

  it('historic Tempo: period and colour of today from PTEC, tomorrow from DEMAIN', () => {
    const cases: Array<[string, string, string, string, string]> = [
      // PTEC, DEMAIN, period, today, tomorrow
      ['HCJB', '----', 'off_peak', 'blue', 'unknown'],
      ['HPJB', 'BLEU', 'peak', 'blue', 'blue'],
      ['HCJW', 'ROUG', 'off_peak', 'white', 'red'],
      ['HPJR', 'BLAN', 'peak', 'red', 'white'],
    ];
    for (const [ptec, demain, period, today, tomorrow] of cases) {
      const d = historic({ OPTARIF: 'BBR(', PTEC: ptec, DEMAIN: demain });
      assert.equal(d.contract_kind, 'tempo', ptec);
      assert.deepEqual([d.tariff_period, d.tempo_today, d.tempo_tomorrow], [period, today, tomorrow], ptec);
    }
    // A Tempo frame whose PTEC and DEMAIN were refused (bad checksum) says nothing about the
    // colours: absent (the entity keeps its value), never "unknown".
    const lost = historic({ OPTARIF: 'BBR(' });
    assert.deepEqual([lost.tempo_today, lost.tempo_tomorrow], [undefined, undefined]);
    assert.equal(lost.tariff_period, undefined);
  });

  it('historic Tempo indexes have names a user understands', () => {
    const d = historic({ OPTARIF: 'BBR(', BBRHCJB: '000000100', BBRHPJR: '000000200' });
    assert.deepEqual(
      d.indexes?.map((i) => [i.label, i.name.fr, i.name.en]),
      [
        ['BBRHCJB', 'Heures creuses jour bleu', 'Off-peak hours blue day'],
        ['BBRHPJR', 'Heures pleines jour rouge', 'Peak hours red day'],
      ],
    );
  });

  it('standard mode: period from LTARF', () => {
    assert.equal(standard({ NGTF: '      BASE      ', LTARF: '      BASE      ' }).tariff_period, 'base');
    assert.equal(standard({ NGTF: ' H PLEINE/CREUSE', LTARF: ' HEURE  CREUSE  ' }).tariff_period, 'off_peak');
    assert.equal(standard({ NGTF: ' H PLEINE/CREUSE', LTARF: ' HEURE  PLEINE  ' }).tariff_period, 'peak');
    assert.deepEqual(parseTariffLabel('    HC  ROUGE   '), { period: 'off_peak', colour: 'red' });
    assert.deepEqual(parseTariffLabel(' HEURE NORMALE  '), { period: 'normal' });
    assert.deepEqual(parseTariffLabel(' POINTE MOBILE  '), { period: 'mobile_peak' });
    assert.deepEqual(parseTariffLabel('   INDEX 7      '), { period: 'unknown' });
    const d = standard({ NGTF: ' H PLEINE/CREUSE', LTARF: ' HEURE  CREUSE  ' });
    assert.equal(d.tariff_label, 'HEURE  CREUSE');
    assert.equal(d.contract_kind, 'hchp');
  });

  it('contract kinds from OPTARIF and NGTF', () => {
    const kinds = [
      'BASE',
      'TH..',
      'HC..',
      'EJP.',
      'BBR(',
      '     TEMPO      ',
      '   PRODUCTEUR   ',
      'SUPER OFFRE',
    ].map(contractKindOf);
    assert.deepEqual(kinds, ['base', 'base', 'hchp', 'ejp', 'tempo', 'tempo', 'producer', 'other']);
  });
});

describe('Tempo colours in standard mode', () => {
  const TEMPO = '     TEMPO      ';

  it('LTARF names today and wins over NTARF and STGE; tomorrow comes from STGE bits 26-27', () => {
    const d = standard({
      NGTF: TEMPO,
      LTARF: '    HP  BLEU    ',
      NTARF: '06',
      STGE: stge([TODAY, RED], [TOMORROW, WHITE]),
    });
    assert.equal(d.tempo_today, 'blue');
    assert.equal(d.tempo_tomorrow, 'white');
    assert.equal(d.tariff_period, 'peak');
  });

  it('without a colour in LTARF: NTARF in the Tempo grid (1-2 blue, 3-4 white, 5-6 red)', () => {
    const colours = ['01', '02', '03', '04', '05', '06'].map(
      (n) => standard({ NGTF: TEMPO, LTARF: '                ', NTARF: n }).tempo_today,
    );
    assert.deepEqual(colours, ['blue', 'blue', 'white', 'white', 'red', 'red']);
  });

  it('else STGE bits 24-25; 0 means not announced (unknown)', () => {
    assert.equal(standard({ NGTF: TEMPO, STGE: stge([TODAY, WHITE]) }).tempo_today, 'white');
    const none = standard({ NGTF: TEMPO, STGE: stge([TODAY, 0], [TOMORROW, 0]) });
    assert.deepEqual([none.tempo_today, none.tempo_tomorrow], ['unknown', 'unknown']);
    const red = standard({ NGTF: TEMPO, STGE: stge([TODAY, BLUE], [TOMORROW, RED]) });
    assert.deepEqual([red.tempo_today, red.tempo_tomorrow], ['blue', 'red']);
  });

  it('a non-Tempo contract has no colours, unless the meter announces one', () => {
    const hc = standard({ NGTF: ' H PLEINE/CREUSE', LTARF: ' HEURE  CREUSE  ', STGE: stge() });
    assert.equal(hc.tempo_today, undefined);
    assert.equal(hc.tempo_tomorrow, undefined);
    const announced = standard({ NGTF: 'SUPER OFFRE', STGE: stge([TOMORROW, RED]) });
    assert.deepEqual([announced.tempo_today, announced.tempo_tomorrow], ['unknown', 'red']);
  });

  it('standard Tempo indexes EASF01..06 named by colour; unused supplier indexes dropped', () => {
    const values: Record<string, string> = { NGTF: TEMPO, NTARF: '02' };
    for (let i = 1; i <= 10; i++)
      values[`EASF${String(i).padStart(2, '0')}`] = i <= 6 ? `00000${i}000` : '000000000';
    values.EASF08 = '000000042';
    const d = standard(values);
    assert.deepEqual(
      d.indexes?.map((i) => [i.label, i.wh, i.name.fr]),
      [
        ['EASF01', 1000, 'Heures creuses jour bleu'],
        ['EASF02', 2000, 'Heures pleines jour bleu'],
        ['EASF03', 3000, 'Heures creuses jour blanc'],
        ['EASF04', 4000, 'Heures pleines jour blanc'],
        ['EASF05', 5000, 'Heures creuses jour rouge'],
        ['EASF06', 6000, 'Heures pleines jour rouge'],
        ['EASF08', 42, 'Index fournisseur 8'],
      ],
    );
  });
});

describe('STGE status register', () => {
  it('decodes every field at its bit position', () => {
    const s = decodeStge(
      stge(
        [0, 1], // dry contact open
        [1, 1], // cut-off device open on overload
        [4, 1], // cover open
        [6, 1], // overvoltage
        [7, 1], // over subscribed power
        [8, 1], // producer
        [9, 1], // energy flowing to the grid
        [10, 3], // supplier tariff index 4
        [14, 2], // distributor tariff index 3
        [16, 1], // clock degraded
        [17, 1], // TIC standard
        [19, 1], // Euridis enabled without security
        [21, 2], // CPL registered
        [23, 1], // CPL synchronised
        [TODAY, RED],
        [TOMORROW, BLUE],
        [28, 2], // mobile peak notice PM2
        [30, 3], // mobile peak PM3 in progress
      ),
    );
    assert.deepEqual(s, {
      dry_contact_open: true,
      cut_off: 'overload',
      cover_open: true,
      overvoltage: true,
      over_subscribed_power: true,
      producer: true,
      negative_energy: true,
      supplier_index: 4,
      distributor_index: 3,
      clock_degraded: true,
      tic_standard: true,
      euridis: 'enabled',
      cpl: 'registered',
      cpl_synchronised: true,
      tempo_today: 'red',
      tempo_tomorrow: 'blue',
      mobile_peak_notice: 2,
      mobile_peak: 3,
    });
  });

  it('all zeros: closed, nothing announced, first tariff indexes', () => {
    const s = decodeStge('00000000')!;
    assert.equal(s.cut_off, 'closed');
    assert.equal(s.supplier_index, 1);
    assert.equal(s.distributor_index, 1);
    assert.equal(s.euridis, 'disabled');
    assert.equal(s.cpl, 'new_unlock');
    assert.deepEqual([s.tempo_today, s.tempo_tomorrow], ['unknown', 'unknown']);
    assert.equal(s.over_subscribed_power, false);
  });

  it('the cut-off device states of bits 1-3', () => {
    const states = [0, 1, 2, 3, 4, 5, 6, 7].map((v) => decodeStge(stge([1, v]))!.cut_off);
    assert.deepEqual(states, [
      'closed',
      'overload',
      'overvoltage',
      'load_shedding',
      'remote_order',
      'overheat_high',
      'overheat_low',
      'unknown',
    ]);
    assert.equal(decodeStge(stge([19, 3]))!.euridis, 'enabled_secured');
  });

  it('the value of a real standard capture (openHAB three-phase producer, 013A0501)', () => {
    // 0x013A0501: bit 0 set, bit 8 (producer), bit 10 (supplier index 2), bit 17 (TIC standard),
    // bits 19-20 = 3 (Euridis secured), bits 21-22 = 1 (CPL new/lock), bits 24-25 = 1 (blue).
    const s = decodeStge('013A0501')!;
    assert.deepEqual(
      [s.dry_contact_open, s.producer, s.supplier_index, s.tic_standard, s.euridis, s.cpl, s.tempo_today],
      [true, true, 2, true, 'enabled_secured', 'new_lock', 'blue'],
    );
    assert.equal(s.tempo_tomorrow, 'unknown');
  });

  it('anything but 8 hex digits is no status at all', () => {
    for (const bad of ['', '0000000', '000000000', '0000000G', ' 0000000'])
      assert.equal(decodeStge(bad), undefined, bad);
    assert.equal(standard({ STGE: '0000000G' }).status, undefined);
  });
});

describe('relays, overload, powers', () => {
  it('RELAIS: bits 0..7 of a 3-digit number are relays 1..8', () => {
    assert.deepEqual(decodeRelays('000'), [false, false, false, false, false, false, false, false]);
    assert.deepEqual(decodeRelays('005'), [true, false, true, false, false, false, false, false]);
    assert.deepEqual(decodeRelays('128'), [false, false, false, false, false, false, false, true]);
    assert.deepEqual(decodeRelays('255')?.every(Boolean), true);
    for (const bad of ['256', '12', '0005', 'ABC']) assert.equal(decodeRelays(bad), undefined, bad);
    assert.deepEqual(standard({ RELAIS: '001' }).relays?.slice(0, 2), [true, false]);
  });

  it('historic ADPS is an overload with its current; its absence is no overload', () => {
    const over = historic({ OPTARIF: 'BASE', ISOUSC: '30', IINST: '033', ADPS: '033' });
    assert.equal(over.overload, true);
    assert.equal(over.overload_current_a, 33);
    const fine = historic({ OPTARIF: 'BASE', ISOUSC: '30', IINST: '012' });
    assert.equal(fine.overload, false);
    assert.equal(fine.overload_current_a, undefined);
  });

  it('three-phase historic short frame: ADIRn is an overload, per-phase currents', () => {
    const d = historic({ ADCO: '012345678910', ADIR2: '061', IINST1: '010', IINST2: '061', IINST3: '012' });
    assert.equal(d.phases, 3);
    assert.equal(d.overload, true);
    assert.equal(d.overload_current_a, 61);
    assert.deepEqual(d.current_phases_a, [10, 61, 12]);
    assert.equal(d.current_a, 61);
  });

  it('standard overload is STGE bit 7', () => {
    assert.equal(standard({ STGE: stge([7, 1]) }).overload, true);
    assert.equal(standard({ STGE: stge([6, 1]) }).overload, false);
    assert.equal(standard({}).overload, undefined);
  });

  it('standard powers, currents, voltages, subscribed power, injection, meter time', () => {
    const mono = standard({
      SINSTS: '01234',
      SINSTI: '00050',
      IRMS1: '006',
      URMS1: '231',
      PREF: '09',
      PCOUP: '09',
      SMAXSN: '05432',
      'SMAXSN-1': '06543',
      EAST: '012345678',
      EAIT: '000001234',
      MSG1: 'PAS DE          MESSAGE         ',
    });
    assert.equal(mono.phases, 1);
    assert.deepEqual(
      [mono.apparent_power_va, mono.injected_power_va, mono.current_a, mono.voltage_phases_v],
      [1234, 50, 6, [231]],
    );
    assert.deepEqual([mono.subscribed_power_kva, mono.cut_power_kva], [9, 9]);
    assert.deepEqual([mono.max_power_today_va, mono.max_power_yesterday_va], [5432, 6543]);
    assert.deepEqual([mono.energy_total_wh, mono.energy_injected_wh], [12345678, 1234]);
    assert.equal(mono.message, 'PAS DE          MESSAGE');
    const tri = standard({
      SINSTS1: '00100',
      SINSTS2: '00200',
      SINSTS3: '00300',
      IRMS1: '001',
      IRMS2: '009',
      IRMS3: '002',
      URMS1: '230',
      URMS2: '231',
      URMS3: '232',
    });
    assert.equal(tri.phases, 3);
    assert.deepEqual(tri.apparent_power_phases_va, [100, 200, 300]);
    assert.deepEqual(tri.current_phases_a, [1, 9, 2]);
    assert.equal(tri.current_a, 9);
    assert.deepEqual(tri.voltage_phases_v, [230, 231, 232]);
  });

  it('values that are absent (or not numbers) stay absent, never invented', () => {
    assert.deepEqual(historic({ ADCO: '012345678910' }), { phases: 1, overload: false });
    assert.deepEqual(standard({ ADSC: '012345678910', SINSTS: '0x100' }), { phases: 1 });
  });
});

describe('derived values of real captures', () => {
  it('standard three-phase Tempo producer (openHAB): peak hours, blue today, producer status', () => {
    const f = decodeAll(ticBytes('standard-tri-producer-tempo.tic.txt')).frames[0]!;
    const d = deriveValues(f);
    assert.equal(d.contract_kind, 'tempo');
    assert.equal(d.tariff_period, 'peak');
    assert.equal(d.tempo_today, 'blue');
    assert.equal(d.tempo_tomorrow, 'unknown');
    assert.equal(d.phases, 3);
    assert.equal(d.status?.producer, true);
    assert.equal(d.meter_time, '2021-04-14T08:26:25+02:00');
  });

  it('historic three-phase Tempo (teleinfo2mqtt-rs): red peak hours, white tomorrow in the last frame', () => {
    const frames = decodeAll(ticBytes('historic-tri-tempo.tic.txt')).frames;
    const first = deriveValues(frames[0]!);
    assert.deepEqual([first.tariff_period, first.tempo_today], ['peak', 'red']);
    assert.equal(deriveValues(frames[2]!).tempo_tomorrow, 'white');
    assert.equal(first.phases, 3);
  });
});
