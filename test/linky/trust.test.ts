/**
 * Meter values Home Assistant can trust (issue 9): a meter line fed directly with TIC bytes,
 * a real entity registry, the published discovery and states checked.
 * - a historic frame with one index group failing its checksum never publishes a smaller total;
 * - a frame lacking groups clears no entity and flips no Tempo colour to unknown;
 * - a meter id changed by bit flips that cancel in the checksum creates no device;
 * - a bit-6 flip (space ↔ backquote) in a text label is refused although the checksum matches;
 * - 10 minutes of simulated TIC with 1 % of its bits flipped: no index decreases or jumps, no
 *   device appears that the meter is not, no entity is cleared.
 * Frames: the Tempo frames of test/linky/fixtures/historic-tri-tempo.tic.txt (from
 * angristan/teleinfo2mqtt-rs) and the simulator's (simulator.ts, laid out as the captures of
 * esciara/pyteleinfo and fmartinou/teleinfo2mqtt).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TicSimulator } from '../../addon/src/modules/linky/simulator.js';
import { decodeAll } from '../../addon/src/modules/linky/tic/decoder.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { meterLineWithClock } from './context.js';
import { historicGroup } from './historic-frame.js';

/** A frame of the fixture's Tempo meter (020830022493) with its indexes advanced by `wh`. */
const TEMPO_ID = '020830022493';
const TEMPO_INDEXES: Array<[string, number]> = [
  ['BBRHCJB', 23_916_830],
  ['BBRHPJB', 45_909_975],
  ['BBRHCJW', 7_127_242],
  ['BBRHPJW', 13_332_976],
  ['BBRHCJR', 4_353_593],
  ['BBRHPJR', 7_659_709],
];
function tempoFrame(wh: number, opts: { spoil?: string; drop?: string[]; id?: string } = {}): Buffer {
  const groups: Array<[string, string]> = [
    ['ADCO', opts.id ?? TEMPO_ID],
    ['OPTARIF', 'BBR('],
    ['ISOUSC', '30'],
    ...TEMPO_INDEXES.map(([l, v]): [string, string] => [
      l,
      String(l === 'BBRHPJR' ? v + wh : v).padStart(9, '0'),
    ]),
    ['PTEC', 'HPJR'],
    ['DEMAIN', '----'],
    ['IINST1', '009'],
    ['IINST2', '007'],
    ['IINST3', '009'],
    ['PAPP', '05998'],
  ];
  let text = '';
  for (const [l, v] of groups) {
    if (opts.drop?.includes(l)) continue;
    let g = historicGroup(l, v);
    // A wrong checksum character: the group is refused by the decoder.
    if (l === opts.spoil) g = `${g.slice(0, -2)}${g.at(-2) === 'A' ? 'B' : 'A'}\r`;
    text += g;
  }
  return Buffer.from(`\x02${text}\x03`, 'latin1');
}
const TEMPO_TOTAL = TEMPO_INDEXES.reduce((s, [, v]) => s + v, 0);

describe('meter values HA can trust', () => {
  const tempDir = tempDirs('linky-trust-');

  async function setup(mode: 'historic' | 'standard' = 'historic') {
    const m = await meterLineWithClock(tempDir(), {
      port: 'memory:none',
      baud: mode === 'historic' ? '1200' : '9600',
      mode,
    });
    const discovery = () => m.mqtt.published.filter((p) => p.topic.startsWith('homeassistant/'));
    return { ...m, discovery };
  }

  it('a historic total is never the sum of the indexes that passed their checksum', async () => {
    const s = await setup();
    for (let i = 0; i < 4; i++) s.send(tempoFrame(i));
    s.send(tempoFrame(4, { spoil: 'BBRHPJB' }));
    for (let i = 5; i < 8; i++) s.send(tempoFrame(i));
    const totals = s.mqtt.values(`linky_${TEMPO_ID}`, 'energy_total') as number[];
    // The total is sent when 10 Wh away from the last one sent: a sum missing an index (millions
    // of Wh less) would be sent at once, so one message or more, all near the true total.
    assert.ok(totals.length >= 1, JSON.stringify(totals));
    for (const v of totals) assert.ok(v >= TEMPO_TOTAL && v <= TEMPO_TOTAL + 8, `total ${v}`);
    for (let i = 1; i < totals.length; i++) assert.ok(totals[i]! >= totals[i - 1]!, JSON.stringify(totals));
    await s.line.stop();
  });

  it('a frame lacking groups clears no entity and turns no Tempo colour to unknown', async () => {
    const s = await setup();
    for (let i = 0; i < 4; i++) s.send(tempoFrame(i));
    const declared = s.discovery().length;
    assert.ok(declared > 20);
    // Cut short by a new STX after the indexes, then groups lost to corrupted labels.
    s.send(Buffer.concat([tempoFrame(4).subarray(0, 120), tempoFrame(5)]));
    s.send(tempoFrame(6, { drop: ['OPTARIF', 'PTEC', 'DEMAIN', 'IINST2', 'BBRHCJR'] }));
    s.send(tempoFrame(7, { drop: ['IINST1', 'IINST2', 'IINST3', 'ISOUSC'] }));
    s.send(tempoFrame(8));
    const cleared = s.discovery().filter((p) => p.payload === '');
    assert.deepEqual(
      cleared.map((p) => p.topic),
      [],
    );
    assert.equal(s.discovery().length, declared, 'nothing re-declared');
    const colours = s.mqtt.states(`linky_${TEMPO_ID}`).map((st) => st.tempo_today);
    assert.ok(colours.length > 0 && colours.every((c) => c === 'red'), JSON.stringify(colours));
    // A phase whose group was lost is not published as 0 (nor anything else).
    for (const [n, a] of [
      [1, 9],
      [2, 7],
      [3, 9],
    ] as const)
      assert.deepEqual([...new Set(s.mqtt.values(`linky_${TEMPO_ID}`, `current_l${n}`))], [a]);
    await s.line.stop();
  });

  it('a meter id changed by flips that cancel in the checksum creates no device', async () => {
    const s = await setup();
    for (let i = 0; i < 4; i++) s.send(tempoFrame(i));
    // 0→1 in one digit and 3→2 in another: the same sum, the same checksum, another valid id.
    const forged = '120830022492';
    assert.equal(historicGroup('ADCO', forged).at(-2), historicGroup('ADCO', TEMPO_ID).at(-2));
    s.send(tempoFrame(4, { id: forged }));
    s.send(tempoFrame(5));
    s.send(tempoFrame(6, { id: forged }));
    s.send(tempoFrame(7));
    const devices = new Set(s.discovery().map((p) => p.topic.split('/')[2]));
    assert.deepEqual([...devices], [`ut_linky_${TEMPO_ID}`]);
    // A real new meter on the line (seen in consecutive frames) becomes a device.
    for (let i = 8; i < 11; i++) s.send(tempoFrame(i, { id: '021861348497' }));
    assert.ok(s.discovery().some((p) => p.topic.includes('linky_021861348497')));
    await s.line.stop();
  });

  it('a bit-6 flip in a text value keeps the checksum and is still refused', () => {
    const g = (label: string, value: string) => {
      const body = `${label}\t${value}\t`;
      let sum = 0;
      for (const c of body) sum += c.charCodeAt(0);
      return `\n${body}${String.fromCharCode((sum & 0x3f) + 0x20)}\r`;
    };
    const good = ' HEURE  CREUSE  ';
    const flipped = good.replace(' ', '`');
    assert.equal(g('LTARF', good).at(-2), g('LTARF', flipped).at(-2));
    const frame = (v: string) =>
      Buffer.from(`\x02${g('ADSC', '031764953443')}${g('LTARF', v)}\x03`, 'latin1');
    assert.equal(decodeAll(frame(good), { mode: 'standard' }).frames[0]!.values.LTARF?.value, good);
    const bad = decodeAll(frame(flipped), { mode: 'standard' }).frames[0]!;
    assert.equal(bad.values.LTARF, undefined);
    assert.deepEqual(bad.invalid, ['LTARF']);
    // Historic: OPTARIF "BBR(" with '(' flipped to 'h'.
    const h = decodeAll(Buffer.from(`\x02${historicGroup('OPTARIF', 'BBRh')}\x03`, 'latin1'), {
      mode: 'historic',
    });
    assert.deepEqual(h.frames[0]!.invalid, ['OPTARIF']);
  });

  for (const mode of ['historic', 'standard'] as const) {
    it(`${mode}: 10 minutes of TIC with 1 % of bits flipped: no index decreases or jumps, no stray device, nothing cleared`, async () => {
      const s = await setup(mode);
      // A seeded generator: the same flips on every run.
      let seed = mode === 'historic' ? 12345 : 54321;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
        return seed / 0x80000000;
      };
      const sim = new TicSimulator({ mode, write: () => {}, now: s.clock, power: () => 4000 });
      const sent = new Map<string, Set<number>>();
      const end = s.clock() + 10 * 60_000;
      let flipped = 0;
      let bits = 0;
      while (s.clock() < end) {
        const clean = sim.frame();
        for (const g of decodeAll(clean, { mode }).frames[0]!.groups)
          if (/^(HCHC|HCHP|EAST|EASF0[12])$/.test(g.label)) {
            const set = sent.get(g.label) ?? new Set();
            set.add(Number(g.value));
            sent.set(g.label, set);
          }
        const noisy = Buffer.from(clean);
        for (let i = 0; i < noisy.length; i++)
          for (let b = 0; b < 8; b++) {
            bits++;
            if (random() < 0.01) {
              noisy[i]! ^= 1 << b;
              flipped++;
            }
          }
        // The time the frame takes on the wire (10 bits a character), in chunks as a UART gives.
        const ms = (noisy.length * 10 * 1000) / sim.baud;
        for (let i = 0; i < noisy.length; i += 16)
          s.send(noisy.subarray(i, i + 16), (ms * 16) / noisy.length);
      }
      assert.ok(flipped / bits > 0.009 && flipped / bits < 0.011, `${flipped}/${bits}`);
      const devices = new Set(s.discovery().map((p) => p.topic.split('/')[2]));
      assert.deepEqual([...devices], [`ut_linky_${sim.meterId}`]);
      assert.deepEqual(
        s
          .discovery()
          .filter((p) => p.payload === '')
          .map((p) => p.topic),
        [],
      );
      const states = s.mqtt.states(`linky_${sim.meterId}`);
      assert.ok(states.length > 5, `${states.length} states`);
      const keys =
        mode === 'historic'
          ? ['index_hchc', 'index_hchp', 'energy_total']
          : ['energy_total', 'index_easf01', 'index_easf02'];
      const labelOf: Record<string, string> = {
        index_hchc: 'HCHC',
        index_hchp: 'HCHP',
        index_easf01: 'EASF01',
        index_easf02: 'EASF02',
        energy_total: mode === 'standard' ? 'EAST' : '',
      };
      for (const k of keys) {
        const values = s.mqtt.values(`linky_${sim.meterId}`, k) as number[];
        // The simulated evening is peak hours: the off-peak index does not move, the others do.
        const moves = k !== 'index_hchc' && k !== 'index_easf01';
        assert.ok(values.length > (moves ? 10 : 0), `${k}: ${values.length} values`);
        for (let i = 1; i < values.length; i++) {
          const step = values[i]! - values[i - 1]!;
          // 4 kVA for at most a few seconds between two published values: a few Wh, never more.
          assert.ok(step >= 0 && step <= 60, `${k} ${values[i - 1]} → ${values[i]}`);
        }
        // Every published index is a value the meter really sent.
        const label = labelOf[k];
        if (label) for (const v of values) assert.ok(sent.get(label)?.has(v), `${k} ${v} never sent`);
      }
      await s.line.stop();
    });
  }
});
