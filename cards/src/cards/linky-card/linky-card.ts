/**
 * `monitor-linky-card`: the Linky meter at a glance. A gauge of apparent power against the
 * subscribed power read from the meter (not a fixed maximum), tariff period and Tempo colours,
 * today's and yesterday's energy and cost with the HP/HC split, the day's maximum power, each
 * phase of a three-phase meter, and a 7- or 30-day history from HA's long-term statistics.
 *
 * Work per `hass` update: the card re-renders only when one of its entities' state objects
 * changed (HA keeps the same object for unchanged entities); otherwise the update costs the
 * comparisons and one timestamp check for the statistics refresh.
 */
import { html, nothing, type PropertyDeclarations, svg } from 'lit';
import { fireAction } from '../../shared/actions.js';
import { MonitorBaseCard } from '../../shared/base-card.js';
import { type ConfigForm, formLanguage } from '../../shared/config-form.js';
import { formatDate, formatMoney, withUnit } from '../../shared/format.js';
import { defineCard } from '../../shared/register.js';
import { formatState, stateCode, stateKind } from '../../shared/state.js';
import { cardStyles } from '../../shared/styles.js';
import type { GridOptions, HassEntity, HomeAssistant } from '../../shared/types.js';
import { LINKY_CARD, type LiveField, STATISTICS_REFRESH_MS } from './const.js';
import { type LinkyCardConfig, linkyConfigForm, readLinkyConfig } from './linky-card-config.js';
import { cachedDaily, type StatisticIds, type StatisticsError } from './statistics.js';
import { linkyStyles } from './styles.js';
import {
  arcPath,
  currentA,
  type DayRow,
  dayStart,
  findMeters,
  gauge,
  indexEntities,
  indexPeriod,
  powerVA,
  resolveFields,
  subscribedVA,
  tariffPeriodOf,
  tempoColourOf,
} from './utils.js';

export class MonitorLinkyCard extends MonitorBaseCard<LinkyCardConfig> {
  static override styles = [cardStyles, linkyStyles];

  static override properties: PropertyDeclarations = { rows: { state: true }, statsError: { state: true } };
  private rows?: DayRow[];
  private statsError?: string;
  /** Renders so far: the bench and the tests count the work an update caused. */
  renderCount = 0;
  private _fields: Partial<Record<LiveField, string>> = {};
  private _statIds?: StatisticIds;
  private _statsKey?: string;
  private _statsAt = 0;

  static getConfigForm(): ConfigForm {
    return linkyConfigForm(formLanguage);
  }

  static getStubConfig(hass?: HomeAssistant): Omit<LinkyCardConfig, 'type'> {
    const meter = findMeters(hass?.states ?? {})[0];
    return meter ? { meter } : { energy_statistic: 'monitor:linky_00000000000000' };
  }

  protected readConfig(config: unknown): LinkyCardConfig {
    const c = readLinkyConfig(config);
    this._fields = {};
    this._statIds = undefined;
    this._statsAt = 0;
    return c;
  }

  /** The meter: the configured prefix, else the first Monitor meter in `hass`. */
  private _resolve(hass: HomeAssistant): void {
    const c = this.config;
    if (!c) return;
    const meter =
      c.meter ?? (c.energy_statistic && !c.apparent_power ? undefined : findMeters(hass.states)[0]);
    this._fields = resolveFields(hass.states, meter, c);
    const contract = this._fields.contract ? stateCode(hass.states[this._fields.contract]) : undefined;
    const indexes = indexEntities(hass.states, meter);
    // A meter with one index has no total entity (Monitor disables it: it would count the
    // index twice in the Energy dashboard): that index is the total.
    const energy =
      c.energy_statistic ?? this._fields.energy_total ?? (indexes.length === 1 ? indexes[0] : undefined);
    this._statIds = {
      ...(energy ? { energy } : {}),
      ...(c.cost_statistic
        ? { cost: c.cost_statistic }
        : energy?.startsWith('monitor:linky_')
          ? { cost: `${energy}_cost` }
          : {}),
      hp: c.hp_statistic ? [c.hp_statistic] : indexes.filter((i) => indexPeriod(i, contract) === 'hp'),
      hc: c.hc_statistic ? [c.hc_statistic] : indexes.filter((i) => indexPeriod(i, contract) === 'hc'),
    };
  }

  protected override watchedEntities(): string[] {
    return Object.values(this._fields).filter((x): x is string => !!x);
  }

  protected override hassChanged(old: HomeAssistant | undefined, hass: HomeAssistant): void {
    // Entities are looked up again only on the first hass or when the config changed.
    if (!this._statIds) {
      this._resolve(hass);
      this.requestUpdate();
    } else {
      super.hassChanged(old, hass);
    }
    this._maybeRefresh(hass);
  }

  /** A new config (the editor) is resolved and its statistics asked for at once. */
  protected override willUpdate(): void {
    if (this._hass && !this._statIds) {
      this._resolve(this._hass);
      this._maybeRefresh(this._hass);
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this._hass) this._maybeRefresh(this._hass);
  }

  /** One timestamp compare per hass update; a request at most every few minutes. */
  private _maybeRefresh(hass: HomeAssistant): void {
    const now = Date.now();
    if (now - this._statsAt < STATISTICS_REFRESH_MS || !this.isConnected) return;
    const c = this.config;
    const ids = this._statIds;
    if (!c || !ids) return;
    if (!ids.energy && !ids.cost && ids.hp.length === 0 && ids.hc.length === 0) return;
    this._statsAt = now;
    const { key, promise } = cachedDaily(hass, ids, c.history_days ?? 7, now);
    this._statsKey = key;
    promise.then(
      (rows) => {
        if (this._statsKey !== key) return;
        this.rows = rows;
        this.statsError = undefined;
      },
      (err: StatisticsError) => {
        if (this._statsKey !== key) return;
        // HA's own refusal is shown as HA words it; our own findings in the user's language.
        this.statsError =
          err.reason === 'refused' ? err.message : this.t(`linky.stats.${err.reason ?? 'unexpected'}`);
      },
    );
  }

  getCardSize(): number {
    return 6;
  }

  getGridOptions(): GridOptions {
    return { columns: 12, min_columns: 6, min_rows: 4 };
  }

  private _entity(field: LiveField): HassEntity | undefined {
    const id = this._fields[field];
    return id ? this._hass?.states[id] : undefined;
  }

  private _moreInfo(field: LiveField): void {
    const id = this._fields[field];
    if (id) fireAction(this, id, { tap_action: { action: 'more-info' } }, 'tap');
  }

  private _renderGauge(va: number | undefined, subscribed: number | undefined) {
    if (va === undefined) return nothing;
    const lang = this.language;
    if (subscribed === undefined) {
      return html`<div class="power-only"><span class="value">${withUnit(lang, va, 'VA')}</span></div>`;
    }
    const g = gauge(va, subscribed);
    const r = 40;
    const label = this.t('linky.gauge_label', {
      power: withUnit(lang, va, 'VA'),
      subscribed: withUnit(lang, subscribed / 1000, 'kVA', subscribed % 1000 ? 1 : 0),
    });
    return html`<button type="button" class="gauge zone-${g.zone}" role="meter" aria-valuemin="0" aria-valuemax=${subscribed} aria-valuenow=${Math.round(va)} aria-label=${label} title=${label} @click=${() => this._moreInfo('apparent_power')}>
      <svg viewBox="0 0 100 58" aria-hidden="true">${svg`
        <path class="zone normal" d=${arcPath(0, g.warning, r)}></path>
        <path class="zone warning" d=${arcPath(g.warning, g.subscribed, r)}></path>
        <path class="zone over" d=${arcPath(g.subscribed, 1, r)}></path>
        ${g.value > 0 ? svg`<path class="needle-arc" d=${arcPath(0, Math.max(g.value, 0.005), r)}></path>` : nothing}
        <path class="mark" d=${`M${markLine(g.subscribed)}`}></path>`}
      </svg>
      <span class="value">${withUnit(lang, va, 'VA')}</span>
      <span class="of">${this.t('linky.of_subscribed', { power: withUnit(lang, subscribed / 1000, 'kVA', subscribed % 1000 ? 1 : 0) })}</span>
    </button>`;
  }

  private _renderChips(subscribed: number | undefined) {
    const period = tariffPeriodOf(stateCode(this._entity('tariff_period')));
    const today = tempoColourOf(stateCode(this._entity('tempo_today')));
    const tomorrowEntity = this._entity('tempo_tomorrow');
    const tomorrow = tempoColourOf(stateCode(tomorrowEntity));
    const overload =
      this._entity('overload')?.state === 'on' ||
      (subscribed !== undefined && (powerVA(this._entity('apparent_power')) ?? 0) > subscribed);
    const chips = [];
    const periodEntity = this._entity('tariff_period');
    if (period)
      chips.push(html`<span class="chip period ${period}">${this.t(`linky.period.${period}`)}</span>`);
    else if (periodEntity && stateKind(periodEntity) === 'value')
      // A period the card does not know (another integration's wording): as HA shows it.
      chips.push(html`<span class="chip period">${formatState(this._hass, periodEntity)}</span>`);
    if (today)
      chips.push(
        html`<span class="chip tempo ${today}" title=${this.t('linky.today')}>${this.t('linky.today')} · ${this.t(`linky.tempo.${today}`)}</span>`,
      );
    if (tomorrowEntity)
      chips.push(
        html`<span class="chip tempo ${tomorrow ?? 'unknown'}">${this.t('linky.tempo_tomorrow')} · ${tomorrow ? this.t(`linky.tempo.${tomorrow}`) : this.t('linky.tempo.unknown')}</span>`,
      );
    if (overload)
      chips.push(html`<span class="chip overload" role="status">${this.t('linky.overload')}</span>`);
    return chips.length ? html`<div class="chips">${chips}</div>` : nothing;
  }

  private _renderPhases(subscribed: number | undefined) {
    const phases = [1, 2, 3].map((n) => {
      const va = powerVA(this._entity(`apparent_power_l${n}` as LiveField));
      const a = currentA(this._entity(`current_l${n}` as LiveField));
      return { n, va, a };
    });
    if (phases.every((p) => p.va === undefined && p.a === undefined)) return nothing;
    const lang = this.language;
    // A phase's share of the subscribed power; currents against the same share at 230 V.
    const share = subscribed ? subscribed / 3 : undefined;
    return html`<div class="phases">${phases.map((p) => {
      const fraction = share ? (p.va ?? (p.a ?? 0) * 230) / share : 0;
      const text = [
        p.va !== undefined ? withUnit(lang, p.va, 'VA') : '',
        p.a !== undefined ? withUnit(lang, p.a, 'A') : '',
      ]
        .filter(Boolean)
        .join(' · ');
      return html`<div class="phase"><span class="label">${this.t('linky.phase', { n: p.n })}</span>
        <span class="bar" role="img" aria-label=${`${this.t('linky.phase', { n: p.n })}: ${text}`}><span class=${fraction > 1 ? 'over' : fraction >= 0.7 ? 'warning' : ''} style="width:${Math.min(100, fraction * 100).toFixed(1)}%"></span></span>
        <span class="text">${text}</span></div>`;
    })}</div>`;
  }

  private _currency(): string {
    return this._hass?.config?.currency ?? 'EUR';
  }

  private _cost(row: DayRow | undefined): number | undefined {
    if (row?.cost !== undefined) return row.cost;
    const price = this.config?.price_per_kwh;
    return price !== undefined && row?.energy !== undefined ? row.energy * price : undefined;
  }

  private _renderDay(titleKey: 'linky.today' | 'linky.yesterday', row: DayRow | undefined, extra: unknown) {
    const lang = this.language;
    const cost = this._cost(row);
    return html`<div class="day ${titleKey === 'linky.today' ? 'today' : 'yesterday'}">
      <div class="day-title">${this.t(titleKey)}</div>
      <div class="energy">${row?.energy !== undefined ? withUnit(lang, row.energy, 'kWh', row.energy < 100 ? 1 : 0) : '—'}</div>
      ${cost !== undefined ? html`<div class="cost">${formatMoney(lang, cost, this._currency())}</div>` : nothing}
      ${
        row?.hp !== undefined || row?.hc !== undefined
          ? html`<div class="split">${this.t('linky.hp')} ${withUnit(lang, row?.hp ?? 0, 'kWh', 1)} · ${this.t('linky.hc')} ${withUnit(lang, row?.hc ?? 0, 'kWh', 1)}</div>`
          : nothing
      }
      ${extra}
    </div>`;
  }

  private _renderMax(subscribed: number | undefined) {
    const max = powerVA(this._entity('max_power_today'));
    if (max === undefined) return nothing;
    const over = subscribed !== undefined && max > subscribed;
    return html`<div class="max ${over ? 'over' : ''}">${this.t('linky.max_power', { power: withUnit(this.language, max, 'VA') })}
      ${subscribed !== undefined ? html`<span class="flag">${this.t(over ? 'linky.max_over' : 'linky.max_within')}</span>` : nothing}</div>`;
  }

  private _renderHistory() {
    const rows = this.rows;
    if (!rows || this.config?.show_history === false) return nothing;
    const lang = this.language;
    const peak = Math.max(0, ...rows.map((r) => r.energy ?? (r.hp ?? 0) + (r.hc ?? 0)));
    const todayStart = dayStart(Date.now());
    const long = rows.length > 10;
    return html`<div class="history" role="list" aria-label=${this.t('linky.history', { days: rows.length })}>
      <div class="history-title">${this.t('linky.history', { days: rows.length })}</div>
      <div class="bars">${rows.map((r) => {
        const kwh =
          r.energy ?? (r.hp !== undefined || r.hc !== undefined ? (r.hp ?? 0) + (r.hc ?? 0) : undefined);
        const day = formatDate(lang, r.start, { weekday: 'short', day: 'numeric', month: 'short' });
        const cost = this._cost(r);
        const value = `${kwh !== undefined ? withUnit(lang, kwh, 'kWh', 1) : '—'}${cost !== undefined ? ` · ${formatMoney(lang, cost, this._currency())}` : ''}`;
        const label = this.t('linky.day_value', { day, value });
        const h = peak > 0 && kwh !== undefined ? (kwh / peak) * 100 : 0;
        return html`<div class="col ${r.start === todayStart ? 'is-today' : ''}" role="listitem" title=${label} aria-label=${label}>
          <div class="bar"><div style="height:${h.toFixed(1)}%"></div></div>
          <div class="tick">${long ? formatDate(lang, r.start, { day: 'numeric' }) : formatDate(lang, r.start, { weekday: 'narrow' })}</div>
        </div>`;
      })}</div>
    </div>`;
  }

  protected override render() {
    this.renderCount++;
    const c = this.config;
    if (!c) return nothing;
    const va = powerVA(this._entity('apparent_power'));
    const subscribed = subscribedVA(this._entity('subscribed_power'));
    const today = this.rows?.[this.rows.length - 1];
    const yesterday = this.rows?.[this.rows.length - 2];
    const hasStats =
      this._statIds !== undefined && (this._statIds.energy !== undefined || this._statIds.hp.length > 0);
    const live = va !== undefined || this._fields.tariff_period !== undefined;
    const offline = this._entity('apparent_power')?.state === 'unavailable';
    return html`<ha-card class=${offline ? 'offline' : ''}>
      ${c.title ? html`<h1 class="card-header">${c.title}</h1>` : nothing}
      ${!live && !hasStats ? html`<div class="warning">${this.t('linky.no_meter')}</div>` : nothing}
      ${offline ? html`<div class="warning">${this.t('linky.offline')}</div>` : nothing}
      ${live ? html`<div class="top">${this._renderGauge(va, subscribed)}${this._renderChips(subscribed)}</div>` : nothing}
      ${this._renderPhases(subscribed)}
      ${
        hasStats || this._fields.max_power_today
          ? html`<div class="days">${this._renderDay('linky.today', today, this._renderMax(subscribed))}${this._renderDay('linky.yesterday', yesterday, nothing)}</div>`
          : nothing
      }
      ${this.statsError ? html`<div class="warning stats-error" role="alert">${this.t('linky.stats_error', { error: this.statsError })}</div>` : nothing}
      ${this._renderHistory()}
    </ha-card>`;
  }
}

/** The overload mark: a short radial line across the arc at the subscribed power. */
function markLine(fraction: number): string {
  const a = Math.PI * (1 - fraction);
  const p = (r: number) => `${(50 + r * Math.cos(a)).toFixed(2)} ${(50 - r * Math.sin(a)).toFixed(2)}`;
  return `${p(33)}L${p(47)}`;
}

defineCard(LINKY_CARD, MonitorLinkyCard, 'linky.name', 'linky.description');
