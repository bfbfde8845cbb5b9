/**
 * `monitor-alarm-card`: works with any alarm_control_panel entity (Monitor's, Alarmo's, HA's
 * manual alarm). Re-renders only when its alarm entity or one of its sensors changed, and once
 * a second while a countdown runs.
 */
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { fireAction } from '../../shared/actions.js';
import { MonitorBaseCard } from '../../shared/base-card.js';
import { type ConfigForm, formLanguage } from '../../shared/config-form.js';
import { serviceErrorText } from '../../shared/errors.js';
import { haText, isKey } from '../../shared/i18n.js';
import { haIconsReady, svgIcon } from '../../shared/icons.js';
import { defineCard } from '../../shared/register.js';
import { computeDomain, entityName, formatState, stateColor, stateKind } from '../../shared/state.js';
import { cardStyles } from '../../shared/styles.js';
import type { GridOptions, HomeAssistant } from '../../shared/types.js';
import { type AlarmCardConfig, alarmConfigForm, readAlarmConfig } from './alarm-card-config.js';
import { ALARM_CARD, type AlarmCommand, COMMAND_ICONS, commandTextKey, DEFAULT_MODES } from './const.js';
import { alarmStyles } from './styles.js';
import {
  attributeSensors,
  availableCommands,
  codeFormat,
  codeRequired,
  countdown,
  formatDuration,
  lastAction,
  openSensors,
} from './utils.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

const icon = svgIcon;

export class MonitorAlarmCard extends MonitorBaseCard<AlarmCardConfig> {
  static override styles = [cardStyles, alarmStyles];

  static override properties: PropertyDeclarations = {
    code: { state: true },
    message: { state: true },
    busy: { state: true },
  };
  private code = '';
  private message?: string;
  private busy = false;
  private _timer: ReturnType<typeof setInterval> | undefined;
  /**
   * Inside HA the state's icon is HA's own (ha-state-icon) and the buttons' icons are HA's
   * (ha-icon); outside, a generic shield and buttons with their text only.
   */
  private _haIcons = haIconsReady(() => {
    this._haIcons = true;
    this.requestUpdate();
  });

  /** Every option is a flat field: HA's own form editor, with its entity and select pickers. */
  static getConfigForm(): ConfigForm {
    return alarmConfigForm(formLanguage());
  }

  static getStubConfig(hass?: HomeAssistant): Omit<AlarmCardConfig, 'type'> {
    const ids = Object.keys(hass?.states ?? {});
    const entity =
      ids.find((id) => computeDomain(id) === 'alarm_control_panel') ?? 'alarm_control_panel.alarm';
    const sensors = ids
      .filter((id) => {
        const dc = hass?.states[id]?.attributes.device_class;
        return (
          computeDomain(id) === 'binary_sensor' &&
          ['door', 'window', 'opening', 'garage_door'].includes(String(dc))
        );
      })
      .slice(0, 4);
    return { entity, ...(sensors.length ? { sensors } : {}) };
  }

  protected readConfig(config: unknown): AlarmCardConfig {
    return readAlarmConfig(config);
  }

  protected override watchedEntities(): string[] {
    const c = this.config;
    if (!c) return [];
    return [c.entity, ...(c.sensors ?? []), ...attributeSensors(this._hass?.states[c.entity])];
  }

  getCardSize(): number {
    const s = this._hass?.states[this.config?.entity ?? ''];
    return 3 + (codeFormat(s) === 'number' && this.config?.show_keypad !== false ? 4 : codeFormat(s) ? 1 : 0);
  }

  getGridOptions(): GridOptions {
    return { columns: 6, min_columns: 6, min_rows: 3 };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stopTimer();
  }

  private _stopTimer(): void {
    if (this._timer !== undefined) clearInterval(this._timer);
    this._timer = undefined;
  }

  protected override updated(_changed: PropertyValues): void {
    const s = this._hass?.states[this.config?.entity ?? ''];
    const running = countdown(s, Date.now(), {
      arming: this.config?.arming_time,
      pending: this.config?.pending_time,
    });
    if (running && running.remaining > 0 && this._timer === undefined && this.isConnected) {
      this._timer = setInterval(() => this.requestUpdate(), 1000);
    } else if ((!running || running.remaining === 0) && this._timer !== undefined) {
      this._stopTimer();
    }
  }

  private async _run(command: AlarmCommand): Promise<void> {
    const c = this.config;
    const hass = this._hass;
    if (!c || !hass || this.busy) return;
    const s = hass.states[c.entity];
    if (codeRequired(s, command) && this.code === '') {
      this.message = this.t('alarm.code_required');
      return;
    }
    const data: Record<string, unknown> = { entity_id: c.entity };
    if (this.code !== '') data.code = this.code;
    this.busy = true;
    this.message = undefined;
    try {
      // notifyOnError = false: the card says what went wrong itself, once, in words; HA's
      // default toast would repeat it with the raw error code.
      // Every command's service is its name after `alarm_` (alarm_arm_home, alarm_disarm…).
      await hass.callService('alarm_control_panel', `alarm_${command}`, data, undefined, false);
    } catch (err) {
      this.message = serviceErrorText(err, this.language);
    } finally {
      this.code = '';
      this.busy = false;
    }
  }

  private _moreInfo(entity: string): void {
    fireAction(this, entity, { tap_action: { action: 'more-info' } }, 'tap');
  }

  private _press(key: string): void {
    this.message = undefined;
    if (key === 'clear') this.code = '';
    else if (key === 'back') this.code = this.code.slice(0, -1);
    else if (this.code.length < 32) this.code += key;
  }

  private _renderCode(format: 'number' | 'text') {
    const keypad = format === 'number' && this.config?.show_keypad !== false;
    return html`<div class="code">
      <input
        type="password"
        autocomplete="off"
        aria-label=${haText(this._hass, 'ui.card.alarm_control_panel.code')}
        placeholder=${haText(this._hass, 'ui.card.alarm_control_panel.code')}
        inputmode=${format === 'number' ? 'numeric' : 'text'}
        .value=${this.code}
        @input=${(e: Event) => {
          this.code = (e.target as HTMLInputElement).value;
          this.message = undefined;
        }}
      />
      ${
        keypad
          ? html`<div class="keypad">
              ${KEYS.map((k) => html`<button type="button" data-key=${k} @click=${() => this._press(k)}>${k}</button>`)}
              <button type="button" class="small" data-key="clear" @click=${() => this._press('clear')}>${haText(this._hass, 'ui.card.alarm_control_panel.clear_code')}</button>
              <button type="button" data-key="0" @click=${() => this._press('0')}>0</button>
              <button type="button" data-key="back" aria-label=${this.t('alarm.backspace')} title=${this.t('alarm.backspace')} @click=${() => this._press('back')}>${icon('backspace-outline')}</button>
            </div>`
          : nothing
      }
    </div>`;
  }

  private _commandLabel(command: AlarmCommand, alarmState: string): string {
    if (command === 'disarm' && (alarmState === 'arming' || alarmState === 'pending'))
      return haText(this._hass, 'ui.common.cancel');
    return command === 'trigger' ? this.t('alarm.trigger') : haText(this._hass, commandTextKey(command));
  }

  protected override render() {
    const c = this.config;
    if (!c) return nothing;
    const hass = this._hass;
    const s = hass?.states[c.entity];
    const kind = stateKind(s);
    const name = c.name ?? entityName(s, c.entity);
    if (!s) {
      return html`<ha-card class="unavailable"><div class="warning">${this.t('common.entity_not_found', { entity: c.entity })}</div></ha-card>`;
    }
    const alarmState = s.state;
    const unavailable = kind === 'unavailable' || kind === 'unknown';
    // HA words unavailable and unknown too (`state.default.*`).
    const stateText = formatState(hass, s);
    const commands = unavailable ? [] : availableCommands(s, c.modes ?? DEFAULT_MODES);
    const format = codeFormat(s);
    const needsCode = format !== undefined && commands.some((cmd) => codeRequired(s, cmd));
    const cd = countdown(s, Date.now(), { arming: c.arming_time, pending: c.pending_time });
    const last = c.show_last_action !== false ? lastAction(s) : undefined;
    const open = openSensors(hass?.states ?? {}, c.sensors ?? [], s);
    return html`<ha-card class="state-${alarmState.replace(/[^a-z0-9_]/g, '_')} ${unavailable ? 'unavailable' : ''}" style="--alarm-color: ${stateColor(s)}">
      <div class="head" role="button" tabindex="0" @click=${() => this._moreInfo(c.entity)} @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this._moreInfo(c.entity)}>
        <div class="shield">${this._haIcons ? html`<ha-state-icon .hass=${hass} .stateObj=${s}></ha-state-icon>` : icon('security')}</div>
        <div class="titles">
          <div class="name">${name}</div>
          <div class="state" aria-live="polite">${stateText}</div>
        </div>
      </div>
      ${
        cd
          ? html`<div class="countdown" role="timer">
              <span class="time">${this.t(alarmState === 'arming' ? 'alarm.countdown_arming' : 'alarm.countdown_pending', { time: formatDuration(cd.remaining) })}</span>
              <div class="bar"><div style="width: ${((cd.remaining / cd.total) * 100).toFixed(1)}%"></div></div>
            </div>`
          : nothing
      }
      ${
        last
          ? html`<div class="last">${this.t('alarm.last_action')} ${[
              last.user ? this.t('alarm.by_user', { user: last.user }) : '',
              last.channel
                ? this.t('alarm.via_channel', {
                    channel:
                      last.channelKey && isKey(`alarm.channel.${last.channelKey}`)
                        ? this.t(`alarm.channel.${last.channelKey}` as 'alarm.channel.sms')
                        : last.channel,
                  })
                : '',
            ]
              .filter(Boolean)
              .join(' · ')}</div>`
          : nothing
      }
      ${
        open.length
          ? html`<div class="sensors"><span class="title">${this.t('alarm.open_sensors')}</span>${open.map(
              (o) =>
                html`<button type="button" class="chip ${stateKind(o.stateObj) === 'active' ? '' : 'unavailable'}" data-entity=${o.entity_id} @click=${() => this._moreInfo(o.entity_id)}>${entityName(o.stateObj, o.entity_id)}${
                  o.stateObj ? html` · ${formatState(hass, o.stateObj)}` : nothing
                }</button>`,
            )}</div>`
          : nothing
      }
      ${needsCode && format ? this._renderCode(format) : nothing}
      ${
        commands.length
          ? html`<div class="actions">${commands.map(
              (cmd) =>
                html`<button type="button" class=${cmd} data-command=${cmd} ?disabled=${this.busy} @click=${() => this._run(cmd)}>${this._haIcons ? html`<ha-icon .icon=${`mdi:${COMMAND_ICONS[cmd]}`}></ha-icon>` : nothing}<span>${this._commandLabel(cmd, alarmState)}</span></button>`,
            )}</div>`
          : nothing
      }
      ${this.message ? html`<div class="message" role="alert">${this.message}</div>` : nothing}
    </ha-card>`;
  }
}

defineCard(ALARM_CARD, MonitorAlarmCard, 'alarm.name', 'alarm.description');
