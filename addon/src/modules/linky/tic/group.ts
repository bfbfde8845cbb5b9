/**
 * One information group, the bytes between LF and CR (Enedis-NOI-CPT_54E §5.3.6):
 *   historic  `LABEL SP VALUE SP C`
 *   standard  `LABEL HT [HORODATE HT] VALUE HT C`
 * C is the checksum: (sum of the bytes it covers) & 0x3F, plus 0x20. It may itself be a
 * space, and values may start or end with spaces (NGTF, MSG1), so a group is parsed from its
 * end and nothing is ever trimmed: the last byte is the checksum, the one before it the
 * separator that tells the mode.
 *
 * What the checksum covers:
 * - standard mode: from the label to the separator before the checksum, that separator included;
 * - historic mode: from the label to the end of the value, the last separator excluded
 *   ("method 1", used by most meters); some historic meters include it, as the standard mode
 *   does ("method 2"). Both are accepted until the stream shows which one its meter uses.
 */
import { type Horodate, parseHorodate } from './horodate.js';
import { DATED_LABELS, LABEL, STANDARD_FORMATS, type TicMode, valueMatchesFormat } from './labels.js';

export type HistoricConvention = 'without_separator' | 'with_separator';

export interface TicGroup {
  label: string;
  value: string;
  date?: Horodate;
  mode: TicMode;
  /** The checksum character received (absent when the group could not be read). */
  checksum?: string;
  valid: boolean;
  /**
   * Why the group is not trusted: bad checksum, value not in the label's format, unreadable, or
   * the same label twice in one frame with different values (one of them is corrupted).
   */
  problem?: 'checksum' | 'format' | 'syntax' | 'conflict';
  /** Historic groups with a good checksum: which convention it was computed with. */
  convention?: HistoricConvention;
}

const HT = 0x09;
const SP = 0x20;

export function checksumChar(sum: number): number {
  return (sum & 0x3f) + 0x20;
}

/** Label for a group we cannot read: its first printable characters, for the `invalid` list. */
function roughLabel(buf: Buffer, start: number, end: number): string {
  let i = start;
  while (i < end && i - start < 10 && buf[i]! > SP && buf[i]! < 0x7f) i++;
  return buf.toString('latin1', start, i) || '?';
}

function broken(buf: Buffer, start: number, end: number, mode: TicMode): TicGroup {
  return { label: roughLabel(buf, start, end), value: '', mode, valid: false, problem: 'syntax' };
}

/**
 * Parses the group in `buf[start, end)` (LF and CR excluded). `mode` fixes the separator
 * expected; `conventions` are the historic checksum conventions currently accepted.
 */
export function parseGroup(
  buf: Buffer,
  start: number,
  end: number,
  mode: TicMode | 'auto',
  conventions: readonly HistoricConvention[],
): TicGroup {
  const fallbackMode: TicMode = mode === 'standard' ? 'standard' : 'historic';
  if (end - start < 4) return broken(buf, start, end, fallbackMode);
  let sum = 0;
  let tabs = 0;
  for (let i = start; i < end - 2; i++) {
    const b = buf[i]!;
    if (b === HT) tabs++;
    else if (b < SP || b > 0x7e) return broken(buf, start, end, fallbackMode);
    sum += b;
  }
  const ck = buf[end - 1]!;
  const sep = buf[end - 2]!;
  const groupMode: TicMode | undefined = sep === HT ? 'standard' : sep === SP ? 'historic' : undefined;
  if (!groupMode || (mode !== 'auto' && mode !== groupMode) || ck < 0x20 || ck > 0x5f)
    return broken(buf, start, end, fallbackMode);
  if (groupMode === 'historic' && tabs > 0) return broken(buf, start, end, groupMode);

  const bodyEnd = end - 2;
  let label: string;
  let value: string;
  let date: Horodate | undefined;
  let dateRaw: string | undefined;
  if (groupMode === 'standard') {
    const t1 = buf.indexOf(HT, start);
    if (t1 < 0 || t1 >= bodyEnd || tabs > 2) return broken(buf, start, end, groupMode);
    label = buf.toString('latin1', start, t1);
    if (tabs === 2) {
      const t2 = buf.indexOf(HT, t1 + 1);
      dateRaw = buf.toString('latin1', t1 + 1, t2);
      value = buf.toString('latin1', t2 + 1, bodyEnd);
    } else {
      value = buf.toString('latin1', t1 + 1, bodyEnd);
    }
  } else {
    const s1 = buf.indexOf(SP, start);
    if (s1 < 0 || s1 >= bodyEnd) return broken(buf, start, end, groupMode);
    label = buf.toString('latin1', start, s1);
    value = buf.toString('latin1', s1 + 1, bodyEnd);
  }
  if (!LABEL.test(label)) return broken(buf, start, end, groupMode);

  const group: TicGroup = { label, value, mode: groupMode, checksum: String.fromCharCode(ck), valid: false };
  if (groupMode === 'standard') {
    if (checksumChar(sum + HT) !== ck) return { ...group, problem: 'checksum' };
  } else {
    const without = checksumChar(sum) === ck;
    const withSep = checksumChar(sum + SP) === ck;
    if (without && conventions.includes('without_separator')) group.convention = 'without_separator';
    else if (withSep && conventions.includes('with_separator')) group.convention = 'with_separator';
    else return { ...group, problem: 'checksum' };
  }

  if (dateRaw !== undefined) {
    date = parseHorodate(dateRaw);
    if (!date) return { ...group, problem: 'format' };
    group.date = date;
  }
  const dated = DATED_LABELS.has(label);
  // A known label with a horodate it should not have (or without one it needs) is corrupted.
  if ((dated && !date) || (!dated && date && label in STANDARD_FORMATS))
    return { ...group, problem: 'format' };
  if (!valueMatchesFormat(groupMode, label, value)) return { ...group, problem: 'format' };
  group.valid = true;
  return group;
}
