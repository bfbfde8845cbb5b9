/** Editor of one tap / hold / double-tap action: the kind, then the fields that kind needs. */
import { html, nothing, type TemplateResult } from 'lit';
import type { ActionConfig } from '../actions.js';
import { haText, type Translate } from '../i18n.js';
import type { HomeAssistant } from '../types.js';
import { selectField, textField } from './fields.js';

const KINDS = ['more-info', 'toggle', 'navigate', 'url', 'perform-action', 'none'] as const;

function dataText(data: unknown): string | undefined {
  return data === undefined ? undefined : JSON.stringify(data);
}

/** HA's own action editor texts (kinds, navigation path, URL path): the same words as its cards' editors. */
const HA_ACTION_EDITOR = 'ui.panel.lovelace.editor.action-editor.';

export function actionEditor(
  t: Translate,
  hass: HomeAssistant | undefined,
  label: string,
  value: ActionConfig | undefined,
  onChange: (next: ActionConfig | undefined) => void,
  name: string,
): TemplateResult {
  const kinds: string[] = [...KINDS];
  // An action written in YAML that this form does not offer (assist, call-service…) stays selectable.
  if (value && !kinds.includes(value.action)) kinds.push(value.action);
  const options = [
    { value: '', label: haText(hass, `${HA_ACTION_EDITOR}actions.default_action`) },
    ...kinds.map((k) => ({
      value: k,
      label: (KINDS as readonly string[]).includes(k) ? haText(hass, `${HA_ACTION_EDITOR}actions.${k}`) : k,
    })),
  ];
  const patch = (key: string, v: unknown) => {
    const next: Record<string, unknown> = { ...(value ?? { action: 'more-info' }) };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange(next as ActionConfig);
  };
  let extra: TemplateResult | typeof nothing = nothing;
  if (value?.action === 'navigate') {
    extra = textField({
      label: haText(hass, `${HA_ACTION_EDITOR}navigation_path`),
      name: `${name}.navigation_path`,
      value: value.navigation_path,
      onChange: (v) => patch('navigation_path', v),
    });
  } else if (value?.action === 'url') {
    extra = textField({
      label: haText(hass, `${HA_ACTION_EDITOR}url_path`),
      name: `${name}.url_path`,
      value: value.url_path,
      onChange: (v) => patch('url_path', v),
    });
  } else if (value?.action === 'perform-action' || value?.action === 'call-service') {
    const key = value.action === 'call-service' ? 'service' : 'perform_action';
    extra = html`${textField({ label: t('editor.perform_action'), name: `${name}.${key}`, value: value[key] as string | undefined, onChange: (v) => patch(key, v) })}
      ${textField({
        label: t('editor.action_data'),
        name: `${name}.data`,
        value: dataText(value.data),
        multiline: true,
        onChange: (v) => {
          if (v === undefined) return patch('data', undefined);
          try {
            const parsed: unknown = JSON.parse(v);
            if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
              patch('data', parsed);
          } catch {
            // Keep the last valid data; the field shows what was typed until it parses.
          }
        },
      })}`;
  }
  return html`<div class="action">
    ${selectField({
      label,
      name,
      value: value?.action,
      options,
      onChange: (v) =>
        onChange(
          v === undefined
            ? undefined
            : ({ ...(value?.action === v ? value : {}), action: v } as ActionConfig),
        ),
    })}
    ${extra}
  </div>`;
}
