/**
 * Visual editor of the printer card.
 *
 * Why a custom editor and not HA's `getConfigForm()`: the config is a list of printers, each
 * with its own mapping of up to eighteen entities, and each printer's defaults come from the
 * Monitor printer chosen in that item; HA's form has no list of sub-forms whose defaults
 * depend on another field. The fields are our own native controls (HA's internal elements are
 * not for custom cards), outlined like HA's so nothing reads as disabled; each entity field
 * suggests the entities of its domain and shows the Monitor default as its placeholder.
 */
import { html, nothing } from 'lit';
import { MonitorBaseEditor } from '../../shared/editor/base-editor.js';
import { checkbox, datalist, editorStyles, selectField, textField } from '../../shared/editor/fields.js';
import { defineElement } from '../../shared/register.js';
import { PRINTER_CARD_EDITOR, PRINTER_FIELD_NAMES, PRINTER_FIELDS, type PrinterField } from './const.js';
import { findPrinters, resolvePrinter } from './utils.js';

type Raw = Record<string, unknown>;

export class MonitorPrinterCardEditor extends MonitorBaseEditor<Raw> {
  static override styles = [editorStyles];

  private _items(): Raw[] {
    const v = this.get(['printers']);
    return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? { prefix: x } : (x as Raw))) : [];
  }

  private _setItems(items: Raw[]): void {
    this.set(['printers'], items.length ? items : undefined);
  }

  private _add(): void {
    const found = findPrinters(this.hass?.states ?? {});
    const used = new Set(this._items().map((i) => i.prefix));
    const prefix = found.find((p) => !used.has(p));
    this._setItems([...this._items(), prefix ? { prefix } : {}]);
  }

  private _renderItem(item: Raw, i: number, printers: string[]) {
    const states = this.hass?.states ?? {};
    const defaults = resolvePrinter(states, typeof item.prefix === 'string' ? item.prefix : undefined, {});
    const patch = (key: string, v: unknown) => this.set(['printers', i, key], v);
    const field = (f: PrinterField) =>
      textField({
        label: this.t(`editor.printer.field.${f}`),
        name: `printers.${i}.${f}`,
        list: `entities-${PRINTER_FIELDS[f][0]}`,
        placeholder: defaults[f] ?? '',
        value: item[f] as string | undefined,
        onChange: (v) => patch(f, v),
      });
    return html`<details class="item printer" ?open=${!item.prefix}>
      <summary>
        <span class="name">${this.t('editor.printer.printer', { n: i + 1 })} · ${String(item.name ?? item.prefix ?? '')}</span>
        <button type="button" class="remove" aria-label=${`${this.ha('ui.common.remove')} ${i + 1}`} @click=${(
          e: Event,
        ) => {
          e.preventDefault();
          this._setItems(this._items().filter((_, k) => k !== i));
        }}>${this.ha('ui.common.remove')}</button>
      </summary>
      <div class="grid">
        ${selectField({
          label: this.t('editor.printer.prefix'),
          name: `printers.${i}.prefix`,
          value: item.prefix as string | undefined,
          options: [{ value: '', label: '—' }, ...printers.map((p) => ({ value: p, label: p }))],
          onChange: (v) => patch('prefix', v),
        })}
        ${textField({ label: this.fieldName('name'), name: `printers.${i}.name`, value: item.name as string | undefined, onChange: (v) => patch('name', v) })}
      </div>
      <details class="entities"><summary>${this.t('editor.printer.entities')}</summary>
        <div class="grid">${PRINTER_FIELD_NAMES.map(field)}</div>
      </details>
    </details>`;
  }

  protected override render() {
    if (!this.config) return nothing;
    const c = this.config;
    const printers = findPrinters(this.hass?.states ?? {});
    const items = this._items();
    return html`${(['sensor', 'binary_sensor', 'image', 'button'] as const).map((d) => datalist(`entities-${d}`, this.entityIds([d])))}
      <div class="section general">
        <h3>${this.t('editor.general')}</h3>
        <div class="grid">
          ${textField({ label: this.fieldName('title'), name: 'title', value: c.title as string | undefined, onChange: (v) => this.set(['title'], v) })}
          ${selectField({
            label: this.t('editor.printer.sort'),
            name: 'sort',
            value: c.sort as string | undefined,
            options: [
              { value: '', label: this.t('editor.printer.sort_finish') },
              { value: 'config', label: this.t('editor.printer.sort_config') },
            ],
            onChange: (v) => this.set(['sort'], v),
          })}
          ${checkbox({ label: this.t('editor.printer.show_snapshot'), name: 'show_snapshot', value: c.show_snapshot as boolean | undefined, defaultValue: true, onChange: (v) => this.set(['show_snapshot'], v) })}
          ${checkbox({ label: this.t('editor.printer.show_commands'), name: 'show_commands', value: c.show_commands as boolean | undefined, defaultValue: true, onChange: (v) => this.set(['show_commands'], v) })}
        </div>
      </div>
      <div class="section printers">
        <h3>${this.t('editor.printer.printers')}</h3>
        ${items.map((item, i) => this._renderItem(item, i, printers))}
        <button type="button" class="add add-printer" @click=${() => this._add()}>${this.t('editor.printer.add')}</button>
      </div>`;
  }
}

defineElement(PRINTER_CARD_EDITOR, MonitorPrinterCardEditor);
