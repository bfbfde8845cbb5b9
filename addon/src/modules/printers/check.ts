/**
 * What `monitor config check` verifies in the `printers` section beyond the schema: two
 * printers whose names give the same device id (after folding case and accents and slugging)
 * would share one device in Home Assistant; the module would rename the second at run time.
 */
import type { CheckReport } from '../../config/semantic.js';
import type { MonitorConfig } from '../../config/types.generated.js';
import { type Dictionaries, translator } from '../../core/i18n.js';
import { deviceIdOf } from './entities.js';

type Printers = NonNullable<MonitorConfig['printers']>;

const dict: Dictionaries = {
  en: {
    duplicate: '"{name}" gives the same device id ({id}) as printers.list[{first}] "{other}": rename one',
  },
  fr: {
    duplicate:
      '« {name} » donne le même identifiant d’appareil ({id}) que printers.list[{first}] « {other} » : renommez-en un',
  },
};

export function checkPrinters(printers: Printers, _root: MonitorConfig, report: CheckReport): void {
  const t = translator(dict, report.lang);
  const seen = new Map<string, number>();
  printers.list.forEach((p, i) => {
    const id = deviceIdOf(p.name);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else
      report.add(
        `printers.list[${i}].name`,
        t('duplicate', { name: p.name, id, first, other: printers.list[first]?.name ?? '' }),
      );
  });
}
