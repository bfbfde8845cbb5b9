/**
 * One printer of the card, its own element so that a change of one printer re-renders that
 * printer only (the card hands each row a new view object only when its entities changed).
 * The snapshot is requested only while the row is on screen (IntersectionObserver), so a
 * fleet of twenty loads the two or three pictures the user can see.
 */
import { html, LitElement, nothing, type PropertyDeclarations, svg } from 'lit';
import { fireEvent } from '../../shared/fire-event.js';
import { formatClock, formatDate, formatDuration, formatNumber } from '../../shared/format.js';
import { isKey, type Lang, localize, type TranslationKey } from '../../shared/i18n.js';
import { svgIcon } from '../../shared/icons.js';
import { defineElement } from '../../shared/register.js';
import { PRINTER_ROW } from './const.js';
import { rowStyles } from './styles.js';
import type { Heater, PrinterView } from './utils.js';

export class MonitorPrinterRow extends LitElement {
  static override styles = rowStyles;

  static override properties: PropertyDeclarations = {
    printer: { attribute: false },
    language: { attribute: false },
    showSnapshot: { attribute: false },
    showCommands: { attribute: false },
    visible: { state: true },
  };
  printer?: PrinterView;
  language: Lang = 'en';
  showSnapshot = true;
  showCommands = true;
  private visible = false;
  renderCount = 0;
  private _observer?: IntersectionObserver;

  override connectedCallback(): void {
    super.connectedCallback();
    this._observer = new IntersectionObserver((entries) => {
      const on = entries.some((e) => e.isIntersecting);
      if (on !== this.visible) this.visible = on;
    });
    this._observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._observer?.disconnect();
    this._observer = undefined;
    this.visible = false;
  }

  private _t(key: TranslationKey, params?: Record<string, string | number>): string {
    return localize(this.language, key, params);
  }

  private _stateText(state: string): string {
    // The states of Monitor's printer module (addon/src/modules/printers/model.ts) have a text.
    if (state === 'unknown') return this._t('common.unknown');
    const key = `printer.state.${state}`;
    return isKey(key) ? this._t(key) : state.replace(/_/g, ' ');
  }

  /** Pause / resume / cancel run as HA actions: HA asks the confirmation and presses the button. */
  private _command(kind: 'pause' | 'resume' | 'cancel', entity: string): void {
    const p = this.printer;
    if (!p) return;
    fireEvent(this, 'hass-action', {
      config: {
        entity,
        tap_action: {
          action: 'perform-action',
          perform_action: 'button.press',
          target: { entity_id: entity },
          confirmation: { text: this._t(`printer.confirm_${kind}`, { name: p.name }) },
        },
      },
      action: 'tap',
    });
  }

  private _moreInfo(): void {
    const p = this.printer;
    if (p?.stateEntity)
      fireEvent(this, 'hass-action', {
        config: { entity: p.stateEntity, tap_action: { action: 'more-info' } },
        action: 'tap',
      });
  }

  private _heater(h: Heater) {
    const lang = this.language;
    const label =
      h.key.startsWith('tool') && h.key !== 'tool'
        ? this._t('printer.tool_n', { n: Number(h.key.slice(4)) + 1 })
        : this._t(`printer.heater.${h.key as 'tool' | 'bed' | 'chamber'}`);
    const a = h.actual !== undefined ? formatNumber(lang, h.actual, 1) : '—';
    const t = h.target !== undefined && h.target > 0 ? ` / ${formatNumber(lang, h.target, 0)}` : '';
    return html`<span class="temp" data-heater=${h.key}><span class="label">${label}</span> ${a}${t}\u00a0°C</span>`;
  }

  private _ring(progress: number) {
    const r = 20;
    const c = 2 * Math.PI * r;
    return html`<div class="ring" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(progress)} aria-label=${this._t('printer.progress')}>
      <svg viewBox="0 0 48 48" aria-hidden="true">${svg`<circle class="track" cx="24" cy="24" r=${r}></circle>
        <circle class="done" cx="24" cy="24" r=${r} stroke-dasharray=${`${((progress / 100) * c).toFixed(2)} ${c.toFixed(2)}`}></circle>`}</svg>
      <span>${formatNumber(this.language, progress, 0)}\u00a0%</span>
    </div>`;
  }

  private _endText(endsAt: number): string {
    const now = new Date();
    const end = new Date(endsAt);
    const sameDay = end.toDateString() === now.toDateString();
    const when = sameDay
      ? formatClock(this.language, endsAt)
      : `${formatDate(this.language, endsAt, { weekday: 'short' })} ${formatClock(this.language, endsAt)}`;
    return this._t('printer.ends_at', { time: when });
  }

  protected override render() {
    this.renderCount++;
    const p = this.printer;
    if (!p) return nothing;
    const lang = this.language;
    const cls = `printer state-${p.state.replace(/[^a-z_]/g, '')} ${p.offline ? 'offline' : ''}`;
    const commands = this.showCommands
      ? (['pause', 'resume', 'cancel'] as const).filter((k) => p.commands[k])
      : [];
    return html`<article class=${cls} aria-label=${`${p.name}: ${this._stateText(p.state)}`}>
      ${
        this.showSnapshot && p.snapshot
          ? html`<div class="snapshot">${this.visible ? html`<img src=${p.snapshot.url} alt=${this._t('printer.snapshot_of', { name: p.name })} loading="lazy" decoding="async" />` : nothing}</div>`
          : nothing
      }
      <div class="main">
        <div class="head">
          ${p.progress !== undefined ? this._ring(p.progress) : html`<div class="icon">${svgIcon('printer-3d')}</div>`}
          <div class="titles">
            <button type="button" class="name" @click=${this._moreInfo}>${p.name}</button>
            <div class="state">${this._stateText(p.state)}${p.problem ? html` · <span class="problem">${p.problem}</span>` : nothing}</div>
          </div>
        </div>
        ${p.file ? html`<div class="line file" title=${p.file}>${p.file}</div>` : nothing}
        ${
          p.endsAt !== undefined || p.remaining !== undefined || p.elapsed !== undefined
            ? html`<div class="line times">
                ${p.endsAt !== undefined ? html`<span class="ends">${this._endText(p.endsAt)}</span>` : nothing}
                ${p.remaining !== undefined ? html`<span class="left">${this._t('printer.left', { time: formatDuration(lang, p.remaining) })}</span>` : nothing}
                ${p.elapsed !== undefined ? html`<span class="elapsed">${this._t('printer.elapsed', { time: formatDuration(lang, p.elapsed) })}</span>` : nothing}
              </div>`
            : nothing
        }
        ${p.layer !== undefined ? html`<div class="line layer">${p.layerTotal ? this._t('printer.layer_of', { layer: p.layer, total: p.layerTotal }) : this._t('printer.layer', { layer: p.layer })}</div>` : nothing}
        ${p.heaters.length ? html`<div class="line temps">${p.heaters.map((h) => this._heater(h))}</div>` : nothing}
        ${
          commands.length
            ? html`<div class="commands">${commands.map(
                (k) =>
                  html`<button type="button" class="cmd ${k}" data-command=${k} aria-label=${this._t(`printer.${k}_named`, { name: p.name })} @click=${() => this._command(k, p.commands[k] as string)}>${svgIcon(k === 'pause' ? 'pause' : k === 'resume' ? 'play' : 'stop')}<span>${this._t(`printer.${k}`)}</span></button>`,
              )}</div>`
            : nothing
        }
      </div>
    </article>`;
  }
}

defineElement(PRINTER_ROW, MonitorPrinterRow);
