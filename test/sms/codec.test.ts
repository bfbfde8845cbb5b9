/**
 * PDU codec on published vectors (fixtures/pdu-vectors.json names each source), round-trip
 * properties and splitting rules.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  bytesToHex,
  decodePdu,
  encodeSubmit,
  packSeptets,
  splitText,
  textToSeptets,
} from '../../addon/src/modules/sms/pdu/index.js';

interface Vectors {
  decode: Array<{ source: string; hex: string; auto?: boolean; expect: Record<string, unknown> }>;
  encode: Array<{ source: string; options: Parameters<typeof encodeSubmit>[0]; parts: string[] }>;
  septets: Array<{ source: string; text: string; packed: string }>;
  quirks: Array<{ source: string; hex: string; expect?: Record<string, unknown>; error?: string }>;
}
const vectors = JSON.parse(
  readFileSync(new URL('./fixtures/pdu-vectors.json', import.meta.url), 'utf8'),
) as Vectors;

test('decodes published PDUs', () => {
  for (const v of vectors.decode) {
    const r = decodePdu(v.hex, { smscPrefix: v.auto ? 'auto' : true });
    assert.ok(r.ok, `${v.source}: ${r.ok ? '' : r.error.message}`);
    for (const [k, want] of Object.entries(v.expect)) {
      assert.deepEqual((r.value as unknown as Record<string, unknown>)[k], want, `${v.source}: ${k}`);
    }
  }
});

test('PDUs that bend the spec: read as a person would, a clear error only for compression', () => {
  // Issue 9: a reserved coding value with UCS2 text, a UDHI flag with no user data or no
  // header, a compressed text. Each vector names its source and what was changed in it.
  for (const v of vectors.quirks) {
    const r = decodePdu(v.hex, { smscPrefix: 'auto' });
    if (v.error) {
      assert.ok(!r.ok, `${v.source}: must not decode`);
      assert.equal(r.error.code, v.error, v.source);
      assert.match(r.error.message, /compress/);
      continue;
    }
    assert.ok(r.ok, `${v.source}: ${r.ok ? '' : r.error.message}`);
    for (const [k, want] of Object.entries(v.expect ?? {}))
      assert.deepEqual((r.value as unknown as Record<string, unknown>)[k], want, `${v.source}: ${k}`);
  }
});

test('encodes published SMS-SUBMIT PDUs byte for byte', () => {
  for (const v of vectors.encode) {
    const r = encodeSubmit(v.options);
    assert.ok(r.ok, v.source);
    assert.deepEqual(
      r.value.parts.map((p) => p.hex),
      v.parts,
      v.source,
    );
    for (const p of r.value.parts)
      assert.equal(p.tpduLength, p.hex.length / 2 - 1 - parseInt(p.hex.slice(0, 2), 16));
  }
});

test('packs septets as published', () => {
  for (const v of vectors.septets) {
    const s = textToSeptets(v.text);
    assert.ok(s, v.source);
    assert.equal(bytesToHex(packSeptets(s)), v.packed, v.source);
  }
});

test('splits at 160/153 septets without cutting an escape pair', () => {
  assert.equal(splitText('a'.repeat(160), 'gsm7').length, 1);
  const two = splitText('a'.repeat(161), 'gsm7');
  assert.deepEqual(
    two.map((s) => s.units),
    [153, 8],
  );
  // 152 plain + "€" (2 septets) would be 154: the euro must move to the next part.
  const euro = splitText(`${'a'.repeat(152)}€${'b'.repeat(10)}`, 'gsm7');
  assert.equal(euro[0]?.text, 'a'.repeat(152));
  assert.ok(euro[1]?.text.startsWith('€'));
});

test('splits at 70/67 UCS2 units without cutting a surrogate pair', () => {
  assert.equal(splitText('é'.repeat(70), 'ucs2').length, 1);
  const parts = splitText(`${'ж'.repeat(66)}😀${'ж'.repeat(5)}`, 'ucs2');
  assert.equal(parts[0]?.units, 66);
  assert.ok(parts[1]?.text.startsWith('😀'));
});

test('chooses UCS2 only when needed, flash is class 0, status report requested', () => {
  const g = encodeSubmit({ to: '+33612345678', text: 'Alarme activée {ok}' });
  assert.ok(g.ok);
  assert.equal(g.value.encoding, 'gsm7');
  const u = encodeSubmit({ to: '+33612345678', text: 'Reçu 👍', flash: true, statusReport: true });
  assert.ok(u.ok);
  assert.equal(u.value.encoding, 'ucs2');
  const d = decodePdu(u.value.parts[0]!.hex);
  assert.ok(d.ok);
  assert.equal(d.value.messageClass, 0);
  assert.equal(d.value.statusReportRequested, true);
  assert.equal(d.value.text, 'Reçu 👍');
});

test('the concatenation reference is carried in every part', () => {
  const r = encodeSubmit({ to: '+33612345678', text: 'x'.repeat(400), concatRef: 42 });
  assert.ok(r.ok);
  assert.equal(r.value.parts.length, 3);
  r.value.parts.forEach((p, i) => {
    const d = decodePdu(p.hex);
    assert.ok(d.ok);
    assert.deepEqual(d.value.concat, { ref: 42, total: 3, seq: i + 1, bits: 8 });
  });
});

const gsmChars = [
  ...'@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà',
  ...'^{}\\[~]|€',
];

test('round trip: any GSM text, any split, decodes back to the same text', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...gsmChars), { maxLength: 600 }).map((a) => a.join('')),
      fc.integer({ min: 0, max: 255 }),
      (text, ref) => {
        const r = encodeSubmit({ to: '+33612345678', text, concatRef: ref });
        if (!r.ok) return false;
        const decoded = r.value.parts.map((p) => decodePdu(p.hex));
        for (const d of decoded) {
          if (!d.ok || d.value.warnings.length) return false;
          if (r.value.parts.length > 1 && d.value.concat?.ref !== ref) return false;
        }
        return (
          decoded.map((d) => (d.ok ? d.value.text : '')).join('') === text && r.value.encoding === 'gsm7'
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('round trip: any Unicode text (emoji, accents) through UCS2', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
      const r = encodeSubmit({ to: '0612345678', text, unicode: true });
      if (!r.ok) return false;
      const out = r.value.parts.map((p) => {
        const d = decodePdu(p.hex);
        return d.ok && d.value.address === '0612345678' ? d.value.text : '\u0000';
      });
      // No part ends with a lone high surrogate.
      for (const t of out) if (/[\ud800-\udbff]$/.test(t)) return false;
      return out.join('') === text;
    }),
    { numRuns: 300 },
  );
});
