/**
 * `monitor-printer-card`: one printer or a fleet. Each printer is a `monitor-printer-row`
 * element; on a new `hass` the card rebuilds the view of a printer only when one of its state
 * objects changed, and gives that view to that row alone. The card itself re-renders only
 * when the fleet's order or summary changed.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { MonitorBaseCard } from '../../shared/base-card.js';
import { formatClock } from '../../shared/format.js';
import { defineCard } from '../../shared/register.js';
import { cardStyles } from '../../shared/styles.js';
import type { GridOptions, HassEntity, HomeAssistant } from '../../shared/types.js';
import { PRINTER_CARD, PRINTER_CARD_EDITOR, PRINTER_ROW } from './const.js';
import { type PrinterCardConfig, type PrinterItemConfig, readPrinterConfig } from './printer-card-config.js';
import type { MonitorPrinterRow } from './printer-row.js';
import './printer-row.js';
import { cardLayout } from './styles.js';
import {
  extraHeaters,
  findPrinters,
  fleetOrder,
  fleetSummary,
  type PrinterEntities,
  type PrinterView,
  prefixName,
  printerName,
  printerView,
  resolvePrinter,
  watched,
} from './utils.js';

interface Entry {
  key: string;
  prefix?: string;
  name?: string;
  entities: PrinterEntities;
  heaters: string[];
  seen: (HassEntity | undefined)[];
  view?: PrinterView;
}

export class MonitorPrinterCard extends MonitorBaseCard<PrinterCardConfig> {
  static override styles = [cardStyles, cardLayout];

  renderCount = 0;
  private _entries: Entry[] = [];
  private _entityCount = -1;
  private _layoutKey = '';
  private _rows = new Map<string, MonitorPrinterRow>();

  static getConfigElement(): HTMLElement {
    return document.createElement(PRINTER_CARD_EDITOR);
  }

  /** Every printer found: the fleet view works with no configuration at all. */
  static getStubConfig(): Omit<PrinterCardConfig, 'type'> {
    return {};
  }

  protected readConfig(config: unknown): PrinterCardConfig {
    const c = readPrinterConfig(config);
    this._entityCount = -1;
    return c;
  }

  getCardSize(): number {
    return 2 + 3 * Math.max(1, this._entries.length);
  }

  getGridOptions(): GridOptions {
    const one = (this.config?.printers?.length ?? 2) === 1;
    return { columns: one ? 6 : 12, min_columns: 6, min_rows: 3 };
  }

  /** Printers and their entities, again only when entities appeared or went (a printer added, one disabled). */
  private _rebuild(hass: HomeAssistant): void {
    const c = this.config;
    if (!c) return;
    const items: PrinterItemConfig[] = c.printers ?? findPrinters(hass.states).map((prefix) => ({ prefix }));
    this._entries = items.map((item, i) => {
      const entities = resolvePrinter(hass.states, item.prefix, item);
      return {
        key: item.prefix ?? `printer-${i}`,
        ...(item.prefix ? { prefix: item.prefix } : {}),
        ...(item.name ? { name: item.name } : {}),
        entities,
        heaters: extraHeaters(hass.states, item.prefix),
        seen: [],
      };
    });
    this._entityCount = Object.keys(hass.states).length;
  }

  private _nameOf(e: Entry, hass: HomeAssistant): string {
    if (e.name) return e.name;
    // Every entity's name starts with the device's: their common start is the printer's name.
    const names = Object.values(e.entities)
      .map((id) => id && hass.states[id]?.attributes.friendly_name)
      .filter((n): n is string => typeof n === 'string');
    return printerName(names, e.prefix ? prefixName(e.prefix) : '?');
  }

  /** A new config (the editor) is shown at once, without waiting for the next `hass`. */
  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('config') && this._hass && this._entityCount === -1) this._updateViews(this._hass);
  }

  protected override hassChanged(_old: HomeAssistant | undefined, hass: HomeAssistant): void {
    if (this.config && this._updateViews(hass)) this.requestUpdate();
  }

  /**
   * Rebuilds the views of the printers whose state objects changed. Returns true when the card
   * itself must render (order, summary or printers changed); otherwise the changed views went
   * straight to their rows.
   */
  private _updateViews(hass: HomeAssistant): boolean {
    const structural = Object.keys(hass.states).length !== this._entityCount;
    if (structural) this._rebuild(hass);
    const changed: Entry[] = [];
    for (const e of this._entries) {
      const now = watched(hass.states, e.entities, e.heaters, e.prefix);
      if (!e.view || structural || now.length !== e.seen.length || now.some((s, i) => s !== e.seen[i])) {
        e.seen = now;
        e.view = printerView(hass.states, e.key, this._nameOf(e, hass), e.entities, e.heaters, e.prefix);
        changed.push(e);
      }
    }
    if (changed.length === 0) return false;
    const key = this._computeLayoutKey();
    if (structural || key !== this._layoutKey || !this.hasUpdated) {
      this._layoutKey = key;
      return true;
    }
    // Same order and summary: hand the new views to their rows, the card stays as it is.
    let missing = false;
    for (const e of changed) {
      const row = this.renderRoot.querySelector<MonitorPrinterRow>(
        `${PRINTER_ROW}[data-key="${CSS.escape(e.key)}"]`,
      );
      if (row && e.view) row.printer = e.view;
      else missing = true;
    }
    return missing;
  }

  private _views(): PrinterView[] {
    const views = this._entries.map((e) => e.view).filter((v): v is PrinterView => v !== undefined);
    return this.config?.sort === 'config' ? views : fleetOrder(views);
  }

  private _computeLayoutKey(): string {
    const views = this._views();
    const s = fleetSummary(views);
    return `${views.map((v) => v.key).join(',')}|${s.printing},${s.idle},${s.offline},${s.error},${s.next?.name},${s.next ? Math.round(s.next.endsAt / 60_000) : ''}|${this.language}`;
  }

  private _summary(views: PrinterView[]) {
    const s = fleetSummary(views);
    const parts = [
      this.t('printer.summary.printing', { n: s.printing }),
      this.t('printer.summary.idle', { n: s.idle }),
    ];
    if (s.error) parts.push(this.t('printer.summary.error', { n: s.error }));
    parts.push(this.t('printer.summary.offline', { n: s.offline }));
    if (s.next)
      parts.push(
        this.t('printer.summary.next', {
          name: s.next.name,
          time: formatClock(this.language, s.next.endsAt),
        }),
      );
    return html`<div class="summary" role="status">${parts.join(' · ')}</div>`;
  }

  protected override render() {
    this.renderCount++;
    const c = this.config;
    if (!c) return nothing;
    const views = this._views();
    this._layoutKey = this._computeLayoutKey();
    return html`<ha-card>
      ${c.title ? html`<h1 class="card-header">${c.title}</h1>` : nothing}
      ${views.length > 1 ? this._summary(views) : nothing}
      ${views.length === 0 ? html`<div class="warning">${this.t('printer.none')}</div>` : nothing}
      <div class="fleet ${views.length > 1 ? 'many' : 'one'}">${this._rowsFor(views, c)}</div>
    </ha-card>`;
  }

  /**
   * One row element per printer, kept from render to render and given to Lit as a node: when
   * the fleet is re-sorted Lit moves the same elements, so a row keeps its loaded snapshot and
   * state (what Lit's `repeat` directive did, for 0.9 KB gzip more in the bundle).
   */
  private _rowsFor(views: PrinterView[], c: PrinterCardConfig): MonitorPrinterRow[] {
    const rows = new Map<string, MonitorPrinterRow>();
    const list: MonitorPrinterRow[] = [];
    for (const v of views) {
      // A key listed twice (the same printer twice in the config) gets a second element.
      const kept = rows.has(v.key) ? undefined : this._rows.get(v.key);
      const row = kept ?? (document.createElement(PRINTER_ROW) as MonitorPrinterRow);
      row.dataset.key = v.key;
      row.printer = v;
      row.language = this.language;
      row.showSnapshot = c.show_snapshot !== false;
      row.showCommands = c.show_commands !== false;
      if (!rows.has(v.key)) rows.set(v.key, row);
      list.push(row);
    }
    this._rows = rows;
    return list;
  }
}

defineCard(PRINTER_CARD, MonitorPrinterCard, 'printer.name', 'printer.description');
