/**
 * The TIC decoder on real captured frames (sources in fixtures/README.md and each fixture's
 * header), and on the framing rules of Enedis-NOI-CPT_54E.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeAll,
  decodeTic,
  initialDecoderState,
  type TicFrame,
} from '../../addon/src/modules/linky/tic/decoder.js';
import { ticBytes } from './load-fixture.js';

/** An independent oracle for the checksum, written from the specification text. */
function ck(text: string, includeLastSeparator: boolean, sep: string): string {
  let s = 0;
  for (const c of text + (includeLastSeparator ? sep : '')) s += c.charCodeAt(0);
  return String.fromCharCode((s & 0x3f) + 0x20);
}
const hist = (label: string, value: string, withSep = false) => {
  const body = `${label} ${value}`;
  return `\n${body} ${ck(body, withSep, ' ')}\r`;
};
const frame = (...groups: string[]) => Buffer.from(`\x02${groups.join('')}\x03`, 'latin1');

function values(f: TicFrame): Record<string, string> {
  return Object.fromEntries(Object.entries(f.values).map(([k, v]) => [k, v.value]));
}

describe('TIC decoder on real captures', () => {
  it('historic single-phase HC: checksums that are a space are verified, nothing is trimmed', () => {
    const { frames } = decodeAll(ticBytes('historic-mono-hc.tic.txt'));
    assert.equal(frames.length, 1);
    const f = frames[0]!;
    assert.equal(f.mode, 'historic');
    assert.equal(f.meter, '050022120078');
    assert.deepEqual(f.invalid, []);
    assert.equal(f.values.PTEC?.value, 'HP..');
    assert.equal(f.values.IINST?.value, '009');
    assert.equal(f.values.HCHC?.value, '094939439');
    assert.equal(f.values.MOTDETAT?.value, '400000');
  });

  it('historic Tempo capture starting mid-frame: the partial frame is skipped', () => {
    const { frames, state } = decodeAll(ticBytes('historic-mono-tempo.tic.txt'));
    assert.equal(frames.length, 1);
    assert.equal(values(frames[0]!).DEMAIN, 'BLEU');
    assert.equal(values(frames[0]!).OPTARIF, 'BBR(');
    assert.ok(state.stats.noiseBytes > 0);
  });

  it('historic three-phase: a frame cut by the next STX is dropped whole', () => {
    const { frames, state } = decodeAll(ticBytes('historic-tri-tempo.tic.txt'));
    assert.equal(frames.length, 3);
    assert.equal(state.stats.abortedFrames, 1);
    assert.equal(values(frames[0]!).PTEC, 'HPJR');
    assert.equal(values(frames[0]!).IINST3, '009');
    assert.equal(values(frames[0]!).PPOT, '00');
    assert.equal(values(frames[2]!).DEMAIN, 'BLAN');
    assert.equal(values(frames[2]!).BBRHPJB, '045940890');
    for (const f of frames) assert.deepEqual(f.invalid, []);
  });

  it('standard three-phase producer: horodates, values with spaces, 63 valid groups', () => {
    const { frames } = decodeAll(ticBytes('standard-tri-producer-tempo.tic.txt'));
    assert.equal(frames.length, 2);
    const f = frames[0]!;
    assert.equal(f.mode, 'standard');
    assert.equal(f.meter, '123456789012');
    assert.equal(Object.keys(f.values).length, 63);
    assert.equal(f.values.DATE?.value, '');
    assert.equal(f.values.DATE?.date?.iso, '2021-04-14T08:26:25+02:00');
    assert.equal(f.values.NGTF?.value, '     TEMPO      ');
    assert.equal(f.values.LTARF?.value, '    HP  BLEU    ');
    assert.equal(f.values.SMAXSN2?.value, '02194');
    assert.equal(f.values.SMAXSN2?.date?.raw, 'E210414070239');
    assert.equal(f.values.STGE?.value, '013A0501');
  });

  it('standard single-phase producer: a space checksum in standard mode (EASD01)', () => {
    const { frames } = decodeAll(ticBytes('standard-mono-producer.tic.txt'));
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.values.EASD01?.value, '000000000');
    assert.equal(frames[0]!.values.EAIT?.value, '000032781');
    assert.equal(frames[0]!.values.NGTF?.value, 'PRODUCTEUR');
  });

  it('real line noise: corrupted groups are listed and never give a value', () => {
    const { frames } = decodeAll(ticBytes('standard-mono-hc-noisy.tic.txt'));
    assert.equal(frames.length, 5);
    assert.deepEqual(frames[0]!.invalid, ['CCAINKlBJ+']);
    assert.equal(frames[0]!.values['CCAIN-1'], undefined);
    // Two different SMAXSN-1 in one frame: neither is trusted.
    assert.deepEqual(frames[1]!.invalid, ['SMAXSN-1']);
    assert.equal(frames[1]!.values['SMAXSN-1'], undefined);
    assert.deepEqual(frames[2]!.invalid, ['IRMS1']);
    assert.equal(frames[2]!.values.IRMS1, undefined);
    assert.equal(frames[2]!.values.URMS1?.value, '236');
    assert.deepEqual(frames[4]!.invalid, ['ERQ2', '3"3:KU']);
    assert.equal(frames[4]!.values.ERQ3?.value, '000017300');
  });
});

describe('TIC decoder framing', () => {
  it('is incremental: byte by byte gives the same frames as all at once', () => {
    const bytes = ticBytes('standard-tri-producer-tempo.tic.txt');
    const whole = decodeAll(bytes).frames;
    let state = initialDecoderState();
    const parts: TicFrame[] = [];
    for (let i = 0; i < bytes.length; i += 7) {
      const r = decodeTic(state, bytes.subarray(i, i + 7));
      state = r.state;
      parts.push(...r.frames);
    }
    assert.deepEqual(parts, whole);
  });

  it('does not modify the state it is given', () => {
    const s0 = initialDecoderState();
    const r = decodeTic(s0, Buffer.from('\x02\nADCO 0123'));
    assert.equal(s0.partial, undefined);
    assert.equal(s0.stats.frames, 0);
    assert.ok(r.state.partial);
  });

  it('one byte per chunk (a 1200 baud read) gives the same frames, for every fixture', () => {
    for (const name of ['historic-tri-tempo.tic.txt', 'standard-mono-hc-noisy.tic.txt']) {
      const bytes = ticBytes(name);
      let state = initialDecoderState();
      const parts: TicFrame[] = [];
      for (let i = 0; i < bytes.length; i++) {
        const r = decodeTic(state, bytes.subarray(i, i + 1));
        state = r.state;
        parts.push(...r.frames);
      }
      assert.deepEqual(parts, decodeAll(bytes).frames, name);
      assert.deepEqual(state.stats, decodeAll(bytes).state.stats, name);
    }
  });

  it('a state continued twice with different bytes gives two independent frames', () => {
    // The partial frame is appended in place: continuing an older state must never overwrite the
    // bytes a newer state (a continuation of the same older state) still needs, nor see them.
    const head = `\x02${hist('ADCO', '012345678910')}\nPAPP`;
    const s1 = decodeTic(initialDecoderState(), Buffer.from(head, 'latin1')).state;
    const tail = (papp: string) => Buffer.from(`${hist('PAPP', papp).slice(5)}\x03`, 'latin1');
    const middle = (papp: string) => tail(papp).subarray(0, -3);
    const end = (papp: string) => tail(papp).subarray(-3);
    const a1 = decodeTic(s1, middle('00400')).state;
    const b1 = decodeTic(s1, middle('00900')).state;
    let c = s1;
    for (const byte of middle('01200')) c = decodeTic(c, Buffer.from([byte])).state;
    assert.equal(decodeTic(a1, end('00400')).frames[0]!.values.PAPP?.value, '00400');
    assert.equal(decodeTic(b1, end('00900')).frames[0]!.values.PAPP?.value, '00900');
    assert.equal(decodeTic(c, end('01200')).frames[0]!.values.PAPP?.value, '01200');
    assert.equal(decodeTic(a1, end('00400')).frames[0]!.values.PAPP?.value, '00400');
    assert.equal(decodeTic(s1, tail('00400')).frames[0]!.values.PAPP?.value, '00400');
  });

  it('a frame longer than maxFrameBytes is counted as noise, and the next frame decodes', () => {
    const long = Buffer.from(`\x02${hist('ADCO', '012345678910').repeat(40)}`, 'latin1');
    const good = frame(hist('ADCO', '012345678910'), hist('PAPP', '00400'));
    let state = initialDecoderState({ maxFrameBytes: 256 });
    for (let i = 0; i < long.length; i += 5) state = decodeTic(state, long.subarray(i, i + 5)).state;
    assert.equal(state.partial, undefined);
    assert.ok(state.stats.noiseBytes > 256);
    const r = decodeTic(state, good);
    assert.equal(r.frames.length, 1);
    assert.equal(r.frames[0]!.values.PAPP?.value, '00400');
  });

  it('EOT drops the frame in progress', () => {
    const bytes = Buffer.concat([
      Buffer.from(`\x02${hist('ADCO', '012345678910')}${hist('PAPP', '00750')}\x04`, 'latin1'),
      frame(hist('ADCO', '012345678910'), hist('PAPP', '00760')),
    ]);
    const { frames, state } = decodeAll(bytes);
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.values.PAPP?.value, '00760');
    assert.equal(state.stats.abortedFrames, 1);
  });

  it('skips noise between frames, including NUL bytes and parity garbage', () => {
    const noise = Buffer.from([0x00, 0xff, 0x7f, 0x0a, 0x41, 0x0d, 0x00]);
    const f = frame(hist('ADCO', '012345678910'), hist('IINST', '002'));
    const { frames } = decodeAll(Buffer.concat([noise, f, noise, f]));
    assert.equal(frames.length, 2);
    assert.deepEqual(values(frames[1]!), { ADCO: '012345678910', IINST: '002' });
  });

  it('drops the parity bit of a port read 8N1 (7E1 characters with bit 7 set)', () => {
    const f = frame(hist('ADCO', '012345678910'), hist('PAPP', '01230'));
    const withParity = Buffer.from(
      f.map((b) => {
        let ones = 0;
        for (let x = b; x; x >>= 1) ones += x & 1;
        return ones % 2 ? b | 0x80 : b;
      }),
    );
    assert.deepEqual(decodeAll(withParity).frames, decodeAll(f).frames);
  });

  it('accepts both historic checksum conventions, then keeps the one the meter uses', () => {
    const b = frame(hist('ADCO', '012345678910', true), hist('PAPP', '00400', true));
    const r = decodeAll(b);
    assert.equal(r.frames[0]!.values.PAPP?.value, '00400');
    assert.equal(r.frames[0]!.groups[0]!.convention, 'with_separator');
    assert.deepEqual(decodeAll(b, { historicChecksum: 'without_separator' }).frames[0]!.values, {});
    // 16 groups with the usual convention lock it: a group of the other one is then refused.
    let state = initialDecoderState();
    for (let i = 0; i < 8; i++)
      state = decodeTic(state, frame(hist('ADCO', '012345678910'), hist('PAPP', '00400'))).state;
    const after = decodeTic(state, frame(hist('PAPP', '00500', true)));
    assert.deepEqual(after.frames[0]!.invalid, ['PAPP']);
  });

  it('rejects a group whose checksum is wrong, and a numeric value corrupted by 64', () => {
    const good = hist('HCHC', '001234567');
    const badCk = good.replace(/.\r$/, (m) => `${String.fromCharCode(m.charCodeAt(0) ^ 1)}\r`);
    // '0' + 64 = 'p': same checksum, caught by the index format (9 digits).
    const shifted = '\nHCHC 0p1234567 ' + ck('HCHC 0p1234567', false, ' ') + '\r';
    assert.equal(ck('HCHC 0p1234567', false, ' '), ck('HCHC 001234567', false, ' '));
    const { frames } = decodeAll(frame(hist('ADCO', '012345678910'), badCk, shifted));
    assert.deepEqual(frames[0]!.invalid, ['HCHC']);
    assert.equal(frames[0]!.groups[1]!.problem, 'checksum');
    assert.equal(frames[0]!.groups[2]!.problem, 'format');
  });

  it('three-phase short frames during an overload (ADIR1..3, NOI-CPT_54E §6.1.2.2)', () => {
    const short = frame(
      hist('ADIR1', '061'),
      hist('ADCO', '012345678910'),
      hist('IINST1', '061'),
      hist('IINST2', '010'),
      hist('IINST3', '012'),
    );
    const f = decodeAll(short).frames[0]!;
    assert.equal(f.short, true);
    assert.equal(f.values.ADIR1?.value, '061');
    assert.equal(decodeAll(ticBytes('historic-tri-tempo.tic.txt')).frames[0]!.short, false);
  });

  it('a fixed mode refuses the other separator; auto decides per frame', () => {
    const std = ticBytes('standard-mono-producer.tic.txt');
    const asHistoric = decodeAll(std, { mode: 'historic' }).frames[0]!;
    assert.deepEqual(asHistoric.values, {});
    assert.equal(decodeAll(std, { mode: 'standard' }).frames[0]!.values.PRM?.value, '12345678901234');
    const his = ticBytes('historic-mono-hc.tic.txt');
    assert.equal(
      decodeAll(Buffer.concat([his, std]))
        .frames.map((f) => f.mode)
        .join(),
      'historic,standard',
    );
  });

  it('a horodate on a label that has none, or none on a dated label, is a corrupted group', () => {
    const g = (body: string) => `\n${body}\t${ck(body, true, '\t')}\r`;
    const f = decodeAll(frame(g('SINSTS\tE210414082625\t00046'), g('SMAXSN\t02636'), g('SINSTI\t00000')))
      .frames[0]!;
    assert.deepEqual(f.invalid, ['SINSTS', 'SMAXSN']);
    assert.equal(f.values.SINSTI?.value, '00000');
  });
});
