/**
 * The import progress of each PRM, on an `enedis_<prm>` device: "History import" (%, with the
 * days imported, the days still missing and the last error as attributes), yesterday's
 * consumption and maximum power; and a log line while the import runs.
 */
import type { Lang } from '../../../core/i18n.js';
import type { ModuleContext } from '../../../core/module.js';
import { type DeviceDeclaration, slugify } from '../../../entities/model.js';
import type { LinkyConfig } from '../meter.js';
import type { PrmStore } from './store.js';

/** Pure: the `enedis_<prm>` device and its entities. */
export function progressDeclaration(prm: string, lang: Lang): DeviceDeclaration {
  const fr = lang === 'fr';
  return {
    // A cloud service: not beside the gateway, so not in its area.
    device: {
      id: `enedis_${slugify(prm)}`,
      name: `Enedis ${prm}`,
      manufacturer: 'Enedis',
      model: 'Conso API',
      serial_number: prm,
      via_gateway: false,
    },
    entities: [
      {
        component: 'sensor',
        key: 'history_import',
        name: fr ? 'Import de l’historique' : 'History import',
        unit: '%',
        icon: 'mdi:database-import',
        entity_category: 'diagnostic',
        attributes_key: 'history_import_info',
        suggested_display_precision: 0,
      },
      {
        component: 'sensor',
        key: 'consumption_yesterday',
        name: fr ? 'Consommation de la veille' : 'Consumption yesterday',
        device_class: 'energy',
        // The state JSON keeps Enedis' Wh; HA shows kWh.
        unit: 'kWh',
        value_template:
          '{% set wh = value_json.consumption_yesterday | default(none) %}{{ (wh / 1000) | round(3) if wh is not none else None }}',
        suggested_display_precision: 1,
      },
      {
        component: 'sensor',
        key: 'max_power_yesterday',
        name: fr ? 'Puissance maximale de la veille' : 'Maximum power yesterday',
        device_class: 'apparent_power',
        unit: 'VA',
        suggested_display_precision: 0,
      },
    ],
  };
}

export class ImportProgress {
  private readonly declared = new Set<string>();

  constructor(private readonly ctx: ModuleContext<LinkyConfig>) {}

  publish(prm: string, s: PrmStore, window: string[], percent: number): void {
    const id = `enedis_${slugify(prm)}`;
    if (!this.declared.has(id)) {
      this.declared.add(id);
      this.ctx.entities.declare(progressDeclaration(prm, this.ctx.lang));
    }
    const yesterday = window[window.length - 1];
    const missing = window.filter((d) => s.daily[d] === undefined);
    this.ctx.entities.update(id, {
      history_import: percent,
      history_import_info: {
        days_total: window.length,
        days_imported: window.length - missing.length,
        missing_days: missing.slice(0, 31),
        last_error: Object.values(s.failed).pop() ?? null,
        last_sync: s.lastSync ?? null,
      },
      consumption_yesterday: yesterday !== undefined ? (s.daily[yesterday] ?? null) : null,
      max_power_yesterday: yesterday !== undefined ? (s.maxPower[yesterday]?.va ?? null) : null,
    });
    this.ctx.entities.setAvailability(id, true);
    if (percent < 100) this.ctx.log.info(() => `Enedis ${prm}: import ${percent}%`);
  }
}
