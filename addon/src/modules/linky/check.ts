/**
 * What `monitor config check` verifies in the `linky` section beyond the schema: one serial
 * port read by two meter entries (the second would never get the port).
 */
import type { CheckReport } from '../../config/semantic.js';
import type { MonitorConfig } from '../../config/types.generated.js';
import { type Dictionaries, translator } from '../../core/i18n.js';

type Linky = NonNullable<MonitorConfig['linky']>;

const dict: Dictionaries = {
  en: { same_port: '"{port}" is already the port of linky.meters[{first}]' },
  fr: { same_port: '« {port} » est déjà le port de linky.meters[{first}]' },
};

export function checkLinky(linky: Linky, _root: MonitorConfig, report: CheckReport): void {
  const t = translator(dict, report.lang);
  const seen = new Map<string, number>();
  linky.meters.forEach((m, i) => {
    const first = seen.get(m.port);
    if (first === undefined) seen.set(m.port, i);
    else report.add(`linky.meters[${i}].port`, t('same_port', { port: m.port, first }));
  });
}
