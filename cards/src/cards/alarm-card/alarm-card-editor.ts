/** Visual editor of the alarm card: every option, modes as check boxes, sensors as a list. */
import { html, nothing } from 'lit';
import { MonitorBaseEditor } from '../../shared/editor/base-editor.js';
import { checkbox, datalist, editorStyles, numberField, textField } from '../../shared/editor/fields.js';
import { defineElement } from '../../shared/register.js';
import { ALARM_CARD_EDITOR, ALL_MODES, type AlarmMode, DEFAULT_MODES } from './const.js';

type Raw = Record<string, unknown>;

export class MonitorAlarmCardEditor extends MonitorBaseEditor<Raw> {
  static override styles = [editorStyles];

  private modes(): AlarmMode[] {
    const m = this.get(['modes']);
    return Array.isArray(m) ? (m as AlarmMode[]) : [...DEFAULT_MODES];
  }

  private toggleMode(mode: AlarmMode, on: boolean): void {
    const current = this.modes();
    // Keep the canonical order so the buttons do not move when one is switched back on.
    const next = ALL_MODES.filter((m) => (m === mode ? on : current.includes(m)));
    const isDefault = next.length === DEFAULT_MODES.length && next.every((m) => DEFAULT_MODES.includes(m));
    this.set(['modes'], isDefault ? undefined : next);
  }

  private sensors(): string[] {
    const s = this.get(['sensors']);
    return Array.isArray(s)
      ? s.map((x) => (typeof x === 'object' && x !== null ? String((x as Raw).entity ?? '') : String(x)))
      : [];
  }

  protected override render() {
    if (!this.config) return nothing;
    const c = this.config;
    const modes = this.modes();
    return html`${datalist('alarms', this.entityIds(['alarm_control_panel']))}
      <div class="section general">
        <h3>${this.t('editor.general')}</h3>
        <div class="grid">
          ${textField({ label: this.t('editor.entity'), name: 'entity', list: 'alarms', value: c.entity as string, onChange: (v) => this.set(['entity'], v ?? '') })}
          ${textField({ label: this.t('editor.name'), name: 'name', value: c.name as string, onChange: (v) => this.set(['name'], v) })}
          ${checkbox({ label: this.t('editor.show_keypad'), name: 'show_keypad', value: c.show_keypad as boolean, defaultValue: true, onChange: (v) => this.set(['show_keypad'], v) })}
          ${checkbox({ label: this.t('editor.show_last_action'), name: 'show_last_action', value: c.show_last_action as boolean, defaultValue: true, onChange: (v) => this.set(['show_last_action'], v) })}
          ${numberField({ label: this.t('editor.arming_time'), name: 'arming_time', min: 0, step: 1, value: c.arming_time as number, onChange: (v) => this.set(['arming_time'], v) })}
          ${numberField({ label: this.t('editor.pending_time'), name: 'pending_time', min: 0, step: 1, value: c.pending_time as number, onChange: (v) => this.set(['pending_time'], v) })}
        </div>
      </div>
      <div class="section modes">
        <h3>${this.t('editor.modes')}</h3>
        <div class="grid">
          ${ALL_MODES.map((m) =>
            checkbox({
              label: this.t(`alarm.${m}`),
              name: `mode.${m}`,
              value: modes.includes(m),
              defaultValue: false,
              onChange: (v) => this.toggleMode(m, v === true),
            }),
          )}
        </div>
      </div>
      <div class="section sensors">
        ${textField({
          label: this.t('editor.sensors'),
          name: 'sensors',
          multiline: true,
          value: this.sensors().join('\n'),
          onChange: (v) => {
            const ids = (v ?? '').split(/[\s,]+/).filter(Boolean);
            this.set(['sensors'], ids.length ? ids : undefined);
          },
        })}
      </div>`;
  }
}

defineElement(ALARM_CARD_EDITOR, MonitorAlarmCardEditor);
