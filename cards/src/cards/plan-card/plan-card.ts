/**
 * `monitor-plan-card`: a floor plan (image or inline SVG) with live markers and rooms.
 *
 * Updates are surgical: on a new `hass`, the card does not re-render itself; it hands each
 * marker whose entity changed its new state object (Lit then re-renders that marker only)
 * and re-applies the classes of the rooms bound to a changed entity. The card's own render
 * runs only for a new config, a loaded plan or a change of language.
 */
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import {
  type ActionsConfig,
  fireAction,
  type Gesture,
  hasAction,
  resolveActions,
} from '../../shared/actions.js';
import { MonitorBaseCard } from '../../shared/base-card.js';
import { translator } from '../../shared/i18n.js';
import { haIconsReady, svgIcon } from '../../shared/icons.js';
import { defineCard, defineElement } from '../../shared/register.js';
import { computeDomain } from '../../shared/state.js';
import { cardStyles } from '../../shared/styles.js';
import type { GridOptions, HomeAssistant } from '../../shared/types.js';
import {
  DEFAULT_ACTIONS,
  DEFAULT_MARKER_SIZE,
  DEFAULT_MAX_ZOOM,
  PLAN_CARD,
  PLAN_CARD_EDITOR,
  PLAN_MARKER,
  SAMPLE_PLAN_URL,
  SAMPLE_ROOMS,
  SAMPLE_SPOTS,
} from './const.js';
import { PlanInteraction, type PlanTarget } from './interaction.js';
import {
  type PlanCardConfig,
  type PlanMarkerConfig,
  type PlanRoomConfig,
  readPlanConfig,
} from './plan-card-config.js';
import { type MarkerContext, MonitorPlanMarker } from './plan-marker.js';
import { RoomBinder } from './rooms.js';
import { planStyles } from './styles.js';
import { fetchSvgText, parseSvg } from './svg.js';
import { isSvgSource, type PlanBox, percentPosition, type View, viewTransform } from './utils.js';

export class MonitorPlanCard extends MonitorBaseCard<PlanCardConfig> {
  static override styles = [cardStyles, planStyles];

  static override properties: PropertyDeclarations = {
    box: { state: true },
    svgEl: { state: true },
    loadError: { state: true },
    roomWarnings: { state: true },
  };
  private box?: PlanBox;
  private svgEl?: SVGSVGElement;
  private loadError?: string;
  private roomWarnings: string[] = [];

  private _ctx?: MarkerContext;
  private _loadedSource?: string;
  private _loadToken = 0;
  private _markerIndex = new Map<string, MonitorPlanMarker[]>();
  private readonly _rooms = new RoomBinder();
  private readonly _interaction = new PlanInteraction({
    zoomEnabled: () => this.config?.zoom !== false,
    maxZoom: () => this.config?.max_zoom ?? DEFAULT_MAX_ZOOM,
    targetOf: (path) => this._targetOf(path),
    wantsHold: (t) => hasAction(this._actionsOf(t).hold_action),
    wantsDoubleTap: (t) => hasAction(this._actionsOf(t).double_tap_action),
    onGesture: (t, g) => this._onGesture(t, g),
    onView: (v) => this._applyView(v),
  });

  static getConfigElement(): HTMLElement {
    return document.createElement(PLAN_CARD_EDITOR);
  }

  /** A working card from the user's own entities on the built-in sample plan. */
  static getStubConfig(hass?: HomeAssistant): Omit<PlanCardConfig, 'type'> {
    const ids = Object.keys(hass?.states ?? {}).filter(
      (id) => !['unavailable', 'unknown'].includes(hass?.states[id]?.state ?? ''),
    );
    const pick = (domain: string, n: number) => ids.filter((id) => computeDomain(id) === domain).slice(0, n);
    const chosen = [
      ...pick('light', 2),
      ...pick('binary_sensor', 1),
      ...pick('sensor', 1),
      ...pick('switch', 1),
    ].slice(0, SAMPLE_SPOTS.length);
    const markers = chosen.map((entity, i) => {
      const [x, y] = SAMPLE_SPOTS[i] as [number, number];
      return { entity, x, y };
    });
    const lights = pick('light', SAMPLE_ROOMS.length);
    const rooms = lights.map((entity, i) => ({ id: SAMPLE_ROOMS[i] as string, entity }));
    return { image: SAMPLE_PLAN_URL, markers, ...(rooms.length ? { rooms } : {}) };
  }

  protected readConfig(config: unknown): PlanCardConfig {
    return readPlanConfig(config);
  }

  getCardSize(): number {
    const box = this.box ?? this._configBox();
    const ratio = box ? box.height / box.width : 9 / 16;
    return Math.max(3, Math.ceil((400 * ratio) / 50) + (this.config?.title ? 1 : 0));
  }

  getGridOptions(): GridOptions {
    return { columns: 12, min_columns: 6, min_rows: 3 };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._interaction.detach();
  }

  /** Complete once the card and every marker it rendered are up to date. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const pending: Promise<boolean>[] = [];
    for (const markers of this._markerIndex.values())
      for (const m of markers) if (m.isUpdatePending) pending.push(m.updateComplete);
    await Promise.all(pending);
    return done;
  }

  protected override hassChanged(old: HomeAssistant | undefined, hass: HomeAssistant): void {
    if (!old || !this.hasUpdated || this.isUpdatePending) {
      this.requestUpdate();
      return;
    }
    for (const [entity, markers] of this._markerIndex) {
      const next = hass.states[entity];
      if (next !== old.states[entity]) for (const m of markers) m.stateObj = next;
    }
    this._rooms.update(hass.states, old.states);
  }

  private _configBox(): PlanBox | undefined {
    const c = this.config;
    return c?.width && c.height ? { minX: 0, minY: 0, width: c.width, height: c.height } : undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('config') && this.config) {
      const source = this.config.image;
      if (source !== this._loadedSource) {
        this._loadedSource = source;
        this.svgEl = undefined;
        this.loadError = undefined;
        this.box = this._configBox();
        if (isSvgSource(source)) void this._loadSvg(source);
      } else {
        this.box = this._configBox() ?? this.box;
      }
      this.style.setProperty('--marker-size', `${this.config.marker_size ?? DEFAULT_MARKER_SIZE}px`);
    }
    if (!this._ctx || changed.has('language') || changed.has('config')) {
      this._ctx = {
        t: translator(this.language),
        hass: () => this._hass,
        showValues: this.config?.show_values !== false,
        // HA's icons once its icon elements exist (they may come after the first render).
        haIcons: haIconsReady(() => {
          this._ctx = undefined;
          this.requestUpdate();
        }),
      };
    }
  }

  private async _loadSvg(source: string): Promise<void> {
    const token = ++this._loadToken;
    try {
      const parsed = parseSvg(await fetchSvgText(source));
      if (token !== this._loadToken) return;
      this.svgEl = parsed.svg;
      this.box = this._configBox() ?? parsed.box ?? { minX: 0, minY: 0, width: 100, height: 100 };
    } catch (err) {
      if (token !== this._loadToken) return;
      this.loadError = `${this.t('plan.load_error', { url: source })} (${(err as Error).message})`;
    }
  }

  private _onImageLoad(e: Event): void {
    const img = e.target as HTMLImageElement;
    if (!this._configBox() && img.naturalWidth > 0) {
      this.box = { minX: 0, minY: 0, width: img.naturalWidth, height: img.naturalHeight };
    }
  }

  private _onImageError(): void {
    this.loadError = this.t('plan.load_error', { url: this.config?.image ?? '' });
  }

  protected override render() {
    const config = this.config;
    if (!config) return nothing;
    const box = this.box;
    const svgSource = isSvgSource(config.image);
    const zoom = config.zoom !== false;
    return html`<ha-card>
      ${config.title ? html`<h1 class="card-header">${config.title}</h1>` : nothing}
      ${
        this.loadError
          ? html`<div class="warning" role="alert">${this.loadError}</div>`
          : html`<div class="viewport" style=${box ? `aspect-ratio: ${box.width} / ${box.height}` : 'aspect-ratio: 16 / 9'}>
              <div class="stage">
                <div class="plan">
                  ${
                    svgSource
                      ? (this.svgEl ?? html`<div class="placeholder">${this.t('plan.loading')}</div>`)
                      : html`<img src=${config.image} alt="" draggable="false" @load=${this._onImageLoad} @error=${this._onImageError} />`
                  }
                </div>
                ${box ? this._renderMarkers(config.markers, box) : nothing}
              </div>
              ${zoom ? this._renderControls() : nothing}
            </div>`
      }
      ${this.roomWarnings.map((w) => html`<div class="warning">${w}</div>`)}
    </ha-card>`;
  }

  private _renderMarkers(markers: PlanMarkerConfig[], box: PlanBox) {
    const states = this._hass?.states ?? {};
    const ctx = this._ctx;
    return html`<div class="markers">${markers.map((m) => {
      const p = percentPosition(box, m.x, m.y);
      return html`<monitor-plan-marker .marker=${m} .ctx=${ctx} .stateObj=${states[m.entity]} .left=${p.left} .top=${p.top}></monitor-plan-marker>`;
    })}</div>`;
  }

  private _renderControls() {
    const icon = svgIcon;
    return html`<div class="controls">
      <button class="zoom-in" title=${this.t('plan.zoom_in')} aria-label=${this.t('plan.zoom_in')} @click=${() => this._interaction.zoomBy(1.5)}>${icon('magnify-plus-outline')}</button>
      <button class="zoom-out" title=${this.t('plan.zoom_out')} aria-label=${this.t('plan.zoom_out')} @click=${() => this._interaction.zoomBy(1 / 1.5)}>${icon('magnify-minus-outline')}</button>
      <button class="reset" title=${this.t('plan.zoom_reset')} aria-label=${this.t('plan.zoom_reset')} @click=${() => this._interaction.reset()}>${icon('fit-to-screen-outline')}</button>
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    const viewport = this.renderRoot.querySelector<HTMLElement>('.viewport');
    if (viewport) {
      this._interaction.attach(viewport);
      this._applyView(this._interaction.view);
    }
    this._markerIndex = new Map();
    for (const el of this.renderRoot.querySelectorAll<MonitorPlanMarker>(PLAN_MARKER)) {
      const list = this._markerIndex.get(el.marker.entity);
      if (list) list.push(el);
      else this._markerIndex.set(el.marker.entity, [el]);
    }
    if (changed.has('svgEl') || changed.has('config') || changed.has('language')) this._bindRooms();
  }

  private _bindRooms(): void {
    const missing = this._rooms.bind(this.svgEl, this.config?.rooms ?? [], this._hass?.states ?? {}, (i) =>
      hasAction(this._actionsOf({ kind: 'room', index: i }).tap_action),
    );
    const warnings = missing.map((id) => this.t('plan.room_not_found', { id }));
    if (warnings.join('\n') !== this.roomWarnings.join('\n')) this.roomWarnings = warnings;
  }

  private _applyView(view: View): void {
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    const viewport = this.renderRoot.querySelector<HTMLElement>('.viewport');
    if (!stage || !viewport) return;
    stage.style.transform = view.k === 1 ? '' : viewTransform(view);
    stage.style.setProperty('--zoom', String(view.k));
    viewport.classList.toggle('zoomed', view.k > 1);
  }

  private _targetOf(path: EventTarget[]): PlanTarget | undefined {
    for (const node of path) {
      if (node instanceof MonitorPlanMarker) {
        const index = this.config?.markers.indexOf(node.marker) ?? -1;
        return index >= 0 ? { kind: 'marker', index } : undefined;
      }
      if (node instanceof Element) {
        const room = this._rooms.indexOf(node);
        if (room !== undefined) return { kind: 'room', index: room };
      }
      if (node === this) break;
    }
    return undefined;
  }

  private _itemOf(t: PlanTarget): PlanMarkerConfig | PlanRoomConfig | undefined {
    return t.kind === 'marker' ? this.config?.markers[t.index] : this.config?.rooms?.[t.index];
  }

  private _actionsOf(t: PlanTarget): ActionsConfig {
    return resolveActions(this._itemOf(t), this.config, DEFAULT_ACTIONS);
  }

  private _onGesture(t: PlanTarget, g: Gesture): void {
    const item = this._itemOf(t);
    if (item) fireAction(this, item.entity, this._actionsOf(t), g);
  }
}

defineElement(PLAN_MARKER, MonitorPlanMarker);
defineCard(PLAN_CARD, MonitorPlanCard, 'plan.name', 'plan.description');
