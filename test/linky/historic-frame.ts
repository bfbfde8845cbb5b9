/**
 * Historic-mode TIC frames written by the tests themselves (Enedis-NOI-CPT_02E): groups are
 * `LF label SP value SP checksum CR`, the checksum computed here, independently of the decoder.
 */

/** A historic group with its checksum (independent oracle: sum & 0x3F + 0x20, §5.3.6). */
export function historicGroup(label: string, value: string): string {
  const body = `${label} ${value}`;
  let s = 0;
  for (const c of body) s += c.charCodeAt(0);
  return `\n${body} ${String.fromCharCode((s & 0x3f) + 0x20)}\r`;
}

/** One frame of an HC/HP meter (30 A subscribed, off-peak now): the tests vary its HC index and power. */
export function hcHpFrame(meterId: string, hchcWh: number, pappVa = 500): Buffer {
  return Buffer.from(
    `\x02${[
      historicGroup('ADCO', meterId),
      historicGroup('OPTARIF', 'HC..'),
      historicGroup('ISOUSC', '30'),
      historicGroup('HCHC', String(hchcWh).padStart(9, '0')),
      historicGroup('HCHP', '000000100'),
      historicGroup('PTEC', 'HC..'),
      historicGroup('PAPP', String(pappVa).padStart(5, '0')),
    ].join('')}\x03`,
    'latin1',
  );
}
