/** Config of `monitor-printer-card`, validated in `setConfig`. */
import { fail, HA_CARD_KEYS, Reader } from '../../shared/validate.js';
import { PRINTER_FIELD_NAMES, PRINTER_FIELDS } from './const.js';
import type { PrinterEntities } from './utils.js';

export interface PrinterItemConfig extends PrinterEntities {
  /** Monitor printer as the entity id prefix `monitor_printer_<slug>`. */
  prefix?: string;
  name?: string;
}

export interface PrinterCardConfig {
  type: string;
  title?: string;
  /** The printers, in this order; omitted: every printer found, sorted by "finishes next". */
  printers?: PrinterItemConfig[];
  show_snapshot?: boolean;
  show_commands?: boolean;
  /** `finish` (default): jobs ending soonest first; `config`: the listed order. */
  sort?: 'finish' | 'config';
}

const KEYS = [...HA_CARD_KEYS, 'title', 'printers', 'show_snapshot', 'show_commands', 'sort'];
const ITEM_KEYS = ['prefix', 'name', ...PRINTER_FIELD_NAMES];
const PREFIX = /^[a-z0-9_]+$/;

function readItem(value: unknown, path: string): PrinterItemConfig {
  if (typeof value === 'string') {
    if (!PREFIX.test(value))
      fail(path, `expected a printer like monitor_printer_prusa_mk4, got ${JSON.stringify(value)}`);
    return { prefix: value };
  }
  const r = Reader.of(value, path).only(ITEM_KEYS);
  const item: PrinterItemConfig = {};
  const prefix = r.str('prefix');
  if (prefix !== undefined) {
    if (!PREFIX.test(prefix))
      fail(
        r.at('prefix'),
        `expected a printer like monitor_printer_prusa_mk4, got ${JSON.stringify(prefix)}`,
      );
    item.prefix = prefix;
  }
  const name = r.str('name');
  if (name !== undefined && name.trim() !== '') item.name = name;
  for (const f of PRINTER_FIELD_NAMES) {
    const v = r.entity(f, [
      PRINTER_FIELDS[f][0],
      ...(PRINTER_FIELDS[f][0] === 'sensor' ? ['input_number', 'number', 'input_text'] : []),
      // Monitor's problem is a binary sensor; other integrations say it in a text sensor.
      ...(f === 'problem' ? ['sensor'] : []),
    ]);
    if (v) item[f] = v;
  }
  if (!item.prefix && !item.state && !item.progress)
    fail(path, 'needs a prefix or at least a state or progress entity');
  return item;
}

export function readPrinterConfig(value: unknown): PrinterCardConfig {
  const r = Reader.of(value, '').only(KEYS);
  const config: PrinterCardConfig = { type: r.str('type') ?? '' };
  const title = r.str('title');
  if (title !== undefined && title.trim() !== '') config.title = title;
  const printers = r.list('printers', readItem);
  if (printers) config.printers = printers;
  for (const key of ['show_snapshot', 'show_commands'] as const) {
    const b = r.bool(key);
    if (b !== undefined) config[key] = b;
  }
  const sort = r.oneOf('sort', ['finish', 'config'] as const);
  if (sort) config.sort = sort;
  for (const key of HA_CARD_KEYS)
    if (key !== 'type' && r.has(key)) (config as unknown as Record<string, unknown>)[key] = r.obj[key];
  return config;
}
