/**
 * Visual editor of the plan card: every option, markers and rooms as editable lists, and a
 * preview of the plan where a click places the chosen marker (plan coordinates computed for you).
 *
 * Why a custom editor and not HA's `getConfigForm()`: a form of selectors cannot show the plan
 * nor turn a click on it into marker coordinates, and rooms map states to classes and colours
 * as free key/value rows. Its fields are our own (HA's internal elements are not for custom
 * cards), outlined like HA's so nothing reads as disabled.
 */
import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ActionConfig } from '../../shared/actions.js';
import { actionEditor } from '../../shared/editor/action-editor.js';
import { MonitorBaseEditor, type Path } from '../../shared/editor/base-editor.js';
import {
  checkbox,
  datalist,
  editorStyles,
  numberField,
  selectField,
  textField,
} from '../../shared/editor/fields.js';
import { languageOf, translator } from '../../shared/i18n.js';
import { svgIcon } from '../../shared/icons.js';
import { defineElement } from '../../shared/register.js';
import {
  DEFAULT_MARKER_SIZE,
  DEFAULT_MAX_ZOOM,
  PLAN_CARD_EDITOR,
  SAMPLE_PLAN_SVG,
  SAMPLE_PLAN_URL,
} from './const.js';
import { fetchSvgText, svgBox } from './svg.js';
import { IDENTITY_VIEW, isSvgSource, type PlanBox, percentPosition, planPoint } from './utils.js';

type Item = Record<string, unknown>;
const GESTURES = ['tap_action', 'hold_action', 'double_tap_action'] as const;

export class MonitorPlanCardEditor extends MonitorBaseEditor<Item> {
  static override styles = [
    editorStyles,
    css`
      .preview {
        position: relative;
        width: 100%;
        border: 1px solid var(--divider-color);
        border-radius: 8px;
        overflow: hidden;
        cursor: crosshair;
        margin-bottom: 8px;
        background: var(--secondary-background-color, transparent);
      }
      .preview img {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
      }
      .dot {
        position: absolute;
        width: 10px;
        height: 10px;
        margin: -5px 0 0 -5px;
        border-radius: 50%;
        background: var(--primary-color);
        border: 2px solid var(--card-background-color);
        pointer-events: none;
      }
      .dot.picking {
        background: var(--accent-color, var(--primary-color));
        width: 16px;
        height: 16px;
        margin: -8px 0 0 -8px;
      }
      .hint {
        font-size: 13px;
        color: var(--primary-color);
        margin: 4px 0;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    picking: { state: true },
    previewBox: { state: true },
  };
  private picking?: number;
  private previewBox?: PlanBox;
  private _previewSource?: string;

  protected override willUpdate(changed: PropertyValues): void {
    if (!changed.has('config')) return;
    const image = this.get(['image']);
    if (typeof image === 'string' && image !== this._previewSource) {
      this._previewSource = image;
      this.previewBox = undefined;
      if (isSvgSource(image)) {
        fetchSvgText(image).then(
          (text) => {
            const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
            if (this._previewSource === image) this.previewBox = svgBox(doc.documentElement);
          },
          () => {},
        );
      }
    }
  }

  private _box(): PlanBox | undefined {
    const w = this.get(['width']);
    const h = this.get(['height']);
    if (typeof w === 'number' && typeof h === 'number' && w > 0 && h > 0)
      return { minX: 0, minY: 0, width: w, height: h };
    return this.previewBox;
  }

  private _list(key: 'markers' | 'rooms'): Item[] {
    const v = this.get([key]);
    return Array.isArray(v) ? (v as Item[]) : [];
  }

  private _move(key: 'markers' | 'rooms', i: number, delta: number): void {
    const items = [...this._list(key)];
    const j = i + delta;
    if (j < 0 || j >= items.length) return;
    [items[i], items[j]] = [items[j] as Item, items[i] as Item];
    this.set([key], items);
  }

  private _removeItem(key: 'markers' | 'rooms', i: number): void {
    const items = this._list(key).filter((_, k) => k !== i);
    if (this.picking !== undefined && key === 'markers') this.picking = undefined;
    this.set([key], items.length ? items : undefined);
  }

  private _add(key: 'markers' | 'rooms'): void {
    const box = this._box();
    const item: Item =
      key === 'markers'
        ? {
            entity: '',
            x: box ? Math.round(box.minX + box.width / 2) : 0,
            y: box ? Math.round(box.minY + box.height / 2) : 0,
          }
        : { id: '', entity: '' };
    this.commit({ ...(this.config ?? {}), [key]: [...this._list(key), item] });
    if (key === 'markers') this.picking = this._list('markers').length - 1;
  }

  private _onPreviewClick(e: MouseEvent): void {
    const i = this.picking;
    const box = this._box();
    if (i === undefined || !box) return;
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const p = planPoint(box, IDENTITY_VIEW, (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
    const marker = {
      ...(this._list('markers')[i] ?? {}),
      x: Math.round(p.x * 10) / 10,
      y: Math.round(p.y * 10) / 10,
    };
    this.set(['markers', i], marker);
  }

  private _onPreviewImage(e: Event): void {
    const img = e.target as HTMLImageElement;
    if (!this.previewBox && !isSvgSource(this._previewSource ?? '') && img.naturalWidth > 0) {
      this.previewBox = { minX: 0, minY: 0, width: img.naturalWidth, height: img.naturalHeight };
    }
  }

  private _actions(base: Path) {
    const t = translator(languageOf(this.hass));
    return GESTURES.map((g) =>
      actionEditor(
        t,
        this.hass,
        this.fieldName(g),
        this.get([...base, g]) as ActionConfig | undefined,
        (v) => this.set([...base, g], v),
        [...base, g].join('.'),
      ),
    );
  }

  private _renderPreview() {
    const image = this.get(['image']);
    const box = this._box();
    if (typeof image !== 'string' || !box) return nothing;
    const src =
      image === SAMPLE_PLAN_URL ? `data:image/svg+xml,${encodeURIComponent(SAMPLE_PLAN_SVG)}` : image;
    return html`<div class="preview" style="aspect-ratio: ${box.width} / ${box.height}" @click=${this._onPreviewClick}>
        <img src=${src} alt="" @load=${this._onPreviewImage} />
        ${this._list('markers').map((m, i) => {
          if (typeof m.x !== 'number' || typeof m.y !== 'number') return nothing;
          const p = percentPosition(box, m.x, m.y);
          return html`<span class="dot ${i === this.picking ? 'picking' : ''}" style="left:${p.left}%;top:${p.top}%"></span>`;
        })}
      </div>
      ${this.picking !== undefined ? html`<div class="hint">${this.t('editor.pick_position', { n: this.picking + 1 })}</div>` : nothing}`;
  }

  private _renderMarker(m: Item, i: number) {
    const base: Path = ['markers', i];
    const showValue = m.show_value === undefined ? '' : m.show_value ? 'yes' : 'no';
    return html`<details class="item marker" ?open=${i === this.picking}>
      <summary>
        <span class="name">${this.t('editor.marker', { n: i + 1 })} · ${String(m.label ?? m.entity ?? '')}</span>
        <button type="button" class="place" title=${this.t('editor.pick_position', { n: i + 1 })} @click=${(
          e: Event,
        ) => {
          e.preventDefault();
          this.picking = this.picking === i ? undefined : i;
        }}>${svgIcon('crosshairs-gps')}</button>
        <button type="button" title=${this.t('editor.move_up')} @click=${() => this._move('markers', i, -1)}>↑</button>
        <button type="button" title=${this.t('editor.move_down')} @click=${() => this._move('markers', i, 1)}>↓</button>
        <button type="button" class="remove" title=${this.ha('ui.common.remove')} @click=${() => this._removeItem('markers', i)}>✕</button>
      </summary>
      <div class="grid">
        ${textField({ label: this.fieldName('entity'), name: 'entity', list: 'entities', value: m.entity as string, onChange: (v) => this.set([...base, 'entity'], v ?? '') })}
        ${numberField({ label: this.t('editor.x'), name: 'x', value: m.x as number, onChange: (v) => this.set([...base, 'x'], v ?? 0) })}
        ${numberField({ label: this.t('editor.y'), name: 'y', value: m.y as number, onChange: (v) => this.set([...base, 'y'], v ?? 0) })}
        ${textField({ label: this.fieldName('icon'), name: 'icon', value: m.icon as string, placeholder: 'mdi:lightbulb', onChange: (v) => this.set([...base, 'icon'], v) })}
        ${textField({ label: this.t('editor.label'), name: 'label', value: m.label as string, onChange: (v) => this.set([...base, 'label'], v) })}
        ${selectField({
          label: this.t('editor.show_value'),
          name: 'show_value',
          value: showValue,
          options: [
            { value: '', label: this.t('editor.show_value_auto') },
            { value: 'yes', label: this.ha('ui.common.yes') },
            { value: 'no', label: this.ha('ui.common.no') },
          ],
          onChange: (v) => this.set([...base, 'show_value'], v === undefined ? undefined : v === 'yes'),
        })}
        ${this._actions(base)}
      </div>
    </details>`;
  }

  private _renderMap(base: Path, key: 'classes' | 'fills', map: Record<string, string> | undefined) {
    const entries = Object.entries(map ?? {});
    const write = (next: [string, string][]) =>
      this.set([...base, key], next.length ? Object.fromEntries(next.filter(([k]) => k !== '')) : undefined);
    return html`<div class="field wide map ${key}"><span>${this.t(key === 'classes' ? 'editor.classes' : 'editor.fills')}</span>
      ${entries.map(
        ([k, v], j) => html`<div class="row">
          ${textField({ label: this.t('editor.state_key'), name: `${key}.key`, value: k, onChange: (nk) => write(entries.map((e, x) => (x === j ? [nk ?? '', e[1]] : e))) })}
          ${textField({ label: this.t('editor.value'), name: `${key}.value`, value: v, onChange: (nv) => write(entries.map((e, x) => (x === j ? [e[0], nv ?? ''] : e))) })}
          <button type="button" title=${this.ha('ui.common.remove')} @click=${() => write(entries.filter((_, x) => x !== j))}>✕</button>
        </div>`,
      )}
      <div><button type="button" class="add" @click=${() => write([...entries, [entries.length ? '' : 'on', '']])}>${this.ha('ui.common.add')}</button></div>
    </div>`;
  }

  private _renderRoom(r: Item, i: number) {
    const base: Path = ['rooms', i];
    return html`<details class="item room">
      <summary>
        <span class="name">${this.t('editor.room', { n: i + 1 })} · ${String(r.id ?? '')}</span>
        <button type="button" title=${this.t('editor.move_up')} @click=${() => this._move('rooms', i, -1)}>↑</button>
        <button type="button" title=${this.t('editor.move_down')} @click=${() => this._move('rooms', i, 1)}>↓</button>
        <button type="button" class="remove" title=${this.ha('ui.common.remove')} @click=${() => this._removeItem('rooms', i)}>✕</button>
      </summary>
      <div class="grid">
        ${textField({ label: this.t('editor.room_id'), name: 'id', value: r.id as string, onChange: (v) => this.set([...base, 'id'], v ?? '') })}
        ${textField({ label: this.fieldName('entity'), name: 'entity', list: 'entities', value: r.entity as string, onChange: (v) => this.set([...base, 'entity'], v ?? '') })}
        ${this._renderMap(base, 'classes', r.classes as Record<string, string> | undefined)}
        ${this._renderMap(base, 'fills', r.fills as Record<string, string> | undefined)}
        ${this._actions(base)}
      </div>
    </details>`;
  }

  protected override render() {
    if (!this.config) return nothing;
    const c = this.config;
    return html`${datalist('entities', this.entityIds())}
      <div class="section general">
        <h3>${this.t('editor.general')}</h3>
        <div class="grid">
          ${textField({ label: this.fieldName('title'), name: 'title', value: c.title as string, onChange: (v) => this.set(['title'], v) })}
          ${textField({ label: this.t('editor.image'), name: 'image', value: c.image as string, placeholder: '/local/plan.svg', onChange: (v) => this.set(['image'], v ?? '') })}
          ${numberField({ label: this.t('editor.width'), name: 'width', min: 1, value: c.width as number, onChange: (v) => this.set(['width'], v) })}
          ${numberField({ label: this.t('editor.height'), name: 'height', min: 1, value: c.height as number, onChange: (v) => this.set(['height'], v) })}
          ${numberField({ label: this.t('editor.marker_size'), name: 'marker_size', min: 12, max: 128, step: 1, value: (c.marker_size as number) ?? undefined, onChange: (v) => this.set(['marker_size'], v === DEFAULT_MARKER_SIZE ? undefined : v) })}
          ${numberField({ label: this.t('editor.max_zoom'), name: 'max_zoom', min: 1, max: 50, value: c.max_zoom as number, onChange: (v) => this.set(['max_zoom'], v === DEFAULT_MAX_ZOOM ? undefined : v) })}
          ${checkbox({ label: this.t('editor.zoom'), name: 'zoom', value: c.zoom as boolean, defaultValue: true, onChange: (v) => this.set(['zoom'], v) })}
          ${checkbox({ label: this.t('editor.show_values'), name: 'show_values', value: c.show_values as boolean, defaultValue: true, onChange: (v) => this.set(['show_values'], v) })}
        </div>
      </div>
      <div class="section defaults">
        <h3>${this.t('editor.default_actions')}</h3>
        <div class="grid">${this._actions([])}</div>
      </div>
      <div class="section markers">
        <h3>${this.t('editor.markers')}</h3>
        ${this._renderPreview()}
        ${this._list('markers').map((m, i) => this._renderMarker(m, i))}
        <button type="button" class="add add-marker" @click=${() => this._add('markers')}>${this.t('editor.add_marker')}</button>
      </div>
      <div class="section rooms">
        <h3>${this.t('editor.rooms')}</h3>
        ${this._list('rooms').map((r, i) => this._renderRoom(r, i))}
        <button type="button" class="add add-room" @click=${() => this._add('rooms')}>${this.t('editor.add_room')}</button>
      </div>`;
  }
}

defineElement(PLAN_CARD_EDITOR, MonitorPlanCardEditor);
