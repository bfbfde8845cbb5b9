/**
 * One marker on the plan. A separate Lit element with a `stateObj` property: when `hass`
 * changes, the card hands each marker its entity's state object, and Lit re-renders only the
 * markers whose object changed (HA keeps the same object for an unchanged entity). Renders in
 * light DOM (no shadow root per marker): the card's stylesheet styles all of them, which keeps
 * 2,000 markers cheap.
 */
import { html, LitElement, nothing, type PropertyValues, svg } from 'lit';
import { property } from 'lit/decorators.js';
import type { Lang, Translate } from '../../shared/i18n.js';
import { fallbackIcon, ICONS, iconPath } from '../../shared/icons.js';
import { entityName, formatState, stateColor, stateKind } from '../../shared/state.js';
import type { HassEntity, HomeAssistant } from '../../shared/types.js';
import type { PlanMarkerConfig } from './plan-card-config.js';

/** What every marker of a card shares; replaced (→ all markers re-render) only on language change. */
export interface MarkerContext {
  lang: Lang;
  t: Translate;
  hass: () => HomeAssistant | undefined;
  showValues: boolean;
  /** `ha-state-icon` / `ha-icon` are defined (inside HA). */
  haIcons: boolean;
}

export class MonitorPlanMarker extends LitElement {
  @property({ attribute: false }) stateObj?: HassEntity;
  @property({ attribute: false }) marker!: PlanMarkerConfig;
  @property({ attribute: false }) ctx!: MarkerContext;
  /** Position in % of the plan. */
  @property({ attribute: false }) left = 0;
  @property({ attribute: false }) top = 0;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'button');
    this.tabIndex = 0;
  }

  /** State text computed once per update, for the aria label, the tooltip and the value. */
  private stateText = '';

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('left') || changed.has('top')) {
      this.style.left = `${this.left}%`;
      this.style.top = `${this.top}%`;
    }
    if (!this.marker || !this.ctx) return;
    const kind = stateKind(this.stateObj);
    this.className = `kind-${kind}`;
    this.style.setProperty('--marker-color', stateColor(this.stateObj));
    const name = this.marker.label ?? entityName(this.stateObj, this.marker.entity);
    this.stateText = this.statusText(kind);
    const label = `${name}: ${this.stateText}`;
    this.setAttribute('aria-label', label);
    this.title = label;
  }

  private statusText(kind: ReturnType<typeof stateKind>): string {
    const { t } = this.ctx;
    if (kind === 'missing') return t('common.entity_not_found', { entity: this.marker.entity });
    if (kind === 'unavailable' || !this.stateObj) return t('common.unavailable');
    return formatState(this.ctx.hass(), this.stateObj, this.ctx.lang);
  }

  private showValue(kind: ReturnType<typeof stateKind>): boolean {
    if (kind === 'missing' || kind === 'unavailable') return false;
    return this.marker.show_value ?? (this.ctx.showValues && kind === 'value');
  }

  private renderIcon() {
    const { marker, stateObj, ctx } = this;
    if (ctx.haIcons) {
      if (marker.icon) return html`<ha-icon .icon=${marker.icon}></ha-icon>`;
      if (stateObj) return html`<ha-state-icon .hass=${ctx.hass()} .stateObj=${stateObj}></ha-state-icon>`;
    }
    const path = iconPath(marker.icon) ?? ICONS[fallbackIcon(marker.entity, stateObj)];
    return html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">${svg`<path d=${path}></path>`}</svg>`;
  }

  protected override render() {
    if (!this.marker || !this.ctx) return nothing;
    const kind = stateKind(this.stateObj);
    const value = this.showValue(kind) ? this.stateText : undefined;
    const label = this.marker.label;
    return html`<span class="badge">${this.renderIcon()}</span>${
      value !== undefined || label
        ? html`<span class="texts">${value !== undefined ? html`<span class="value">${value}</span>` : nothing}${
            label ? html`<span class="label">${label}</span>` : nothing
          }</span>`
        : nothing
    }`;
  }
}
