/**
 * One marker on the plan. A separate Lit element with a `stateObj` property: when `hass`
 * changes, the card hands each marker its entity's state object, and Lit re-renders only the
 * markers whose object changed (HA keeps the same object for an unchanged entity). Renders in
 * light DOM (no shadow root per marker): the card's stylesheet styles all of them, which keeps
 * 2,000 markers cheap.
 */
import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { Translate } from '../../shared/i18n.js';
import { ICONS, iconPath } from '../../shared/icons.js';
import { entityName, formatState, stateColor, stateKind } from '../../shared/state.js';
import type { HassEntity, HomeAssistant } from '../../shared/types.js';
import type { PlanMarkerConfig } from './plan-card-config.js';

/** What every marker of a card shares; replaced (→ all markers re-render) only on language change. */
export interface MarkerContext {
  t: Translate;
  hass: () => HomeAssistant | undefined;
  showValues: boolean;
  /** `ha-state-icon` / `ha-icon` are defined (inside HA). */
  haIcons: boolean;
}

export class MonitorPlanMarker extends LitElement {
  static override properties: PropertyDeclarations = {
    stateObj: { attribute: false },
    marker: { attribute: false },
    ctx: { attribute: false },
    left: { attribute: false },
    top: { attribute: false },
  };
  stateObj?: HassEntity;
  marker!: PlanMarkerConfig;
  ctx!: MarkerContext;
  /** Position in % of the plan. */
  left = 0;
  top = 0;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('role', 'button');
    this.tabIndex = 0;
  }

  /** State text computed once per update, for the aria label, the tooltip and the value. */
  private _stateText = '';

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
    this._stateText = this._statusText(kind);
    const label = `${name}: ${this._stateText}`;
    this.setAttribute('aria-label', label);
    this.title = label;
  }

  private _statusText(kind: ReturnType<typeof stateKind>): string {
    const { t } = this.ctx;
    if (kind === 'missing') return t('common.entity_not_found', { entity: this.marker.entity });
    // HA words an unavailable state too (`state.default.unavailable`).
    return this.stateObj ? formatState(this.ctx.hass(), this.stateObj) : '';
  }

  private _showValue(kind: ReturnType<typeof stateKind>): boolean {
    if (kind === 'missing' || kind === 'unavailable') return false;
    return this.marker.show_value ?? (this.ctx.showValues && kind === 'value');
  }

  /** HA's icon elements when inside HA; undefined → the bundled SVG path is drawn instead. */
  private _haIcon() {
    const { marker, stateObj, ctx } = this;
    if (!ctx.haIcons) return undefined;
    if (marker.icon) return html`<ha-icon .icon=${marker.icon}></ha-icon>`;
    if (stateObj) return html`<ha-state-icon .hass=${ctx.hass()} .stateObj=${stateObj}></ha-state-icon>`;
    return undefined;
  }

  /**
   * One flat template per marker (the fallback icon and both texts inline, hidden when empty):
   * nested templates cost an instantiation each, and a plan may have thousands of markers.
   */
  protected override render() {
    if (!this.marker || !this.ctx) return nothing;
    const kind = stateKind(this.stateObj);
    const value = this._showValue(kind) ? this._stateText : '';
    const label = this.marker.label ?? '';
    const ha = this._haIcon();
    if (ha) {
      return html`<span class="badge">${ha}</span><span class="texts" ?hidden=${!value && !label}><span class="value" ?hidden=${!value}>${value}</span><span class="label" ?hidden=${!label}>${label}</span></span>`;
    }
    // Outside HA (no icon elements): the marker's icon if bundled, else a dot.
    const path = iconPath(this.marker.icon) ?? ICONS['circle-medium'];
    return html`<span class="badge"><svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d=${path}></path></svg></span><span class="texts" ?hidden=${!value && !label}><span class="value" ?hidden=${!value}>${value}</span><span class="label" ?hidden=${!label}>${label}</span></span>`;
  }
}
