/**
 * Form controls of the editors as small template functions over native inputs styled with
 * theme variables (HA's own form elements are lazy-loaded and not guaranteed to be defined
 * when a custom card's editor opens). Text and numbers commit on `change`.
 */
import { css, html, nothing, type TemplateResult } from 'lit';

export interface FieldOpts<T> {
  label: string;
  value: T | undefined;
  onChange: (value: T | undefined) => void;
  name?: string;
}

export function textField(
  o: FieldOpts<string> & { list?: string; placeholder?: string; multiline?: boolean },
): TemplateResult {
  const change = (e: Event) => {
    const v = (e.target as HTMLInputElement).value;
    o.onChange(v.trim() === '' ? undefined : v);
  };
  return html`<label class="field"><span>${o.label}</span>${
    o.multiline
      ? html`<textarea name=${o.name ?? nothing} rows="3" .value=${o.value ?? ''} @change=${change}></textarea>`
      : html`<input type="text" name=${o.name ?? nothing} list=${o.list ?? nothing} placeholder=${o.placeholder ?? nothing} .value=${o.value ?? ''} @change=${change} />`
  }</label>`;
}

export function numberField(
  o: FieldOpts<number> & { min?: number; max?: number; step?: number },
): TemplateResult {
  return html`<label class="field"><span>${o.label}</span><input
    type="number"
    name=${o.name ?? nothing}
    min=${o.min ?? nothing}
    max=${o.max ?? nothing}
    step=${o.step ?? 'any'}
    .value=${o.value === undefined ? '' : String(o.value)}
    @change=${(e: Event) => {
      const v = (e.target as HTMLInputElement).value;
      const n = Number(v);
      o.onChange(v.trim() === '' || !Number.isFinite(n) ? undefined : n);
    }}
  /></label>`;
}

export function checkbox(o: FieldOpts<boolean> & { defaultValue: boolean }): TemplateResult {
  return html`<label class="check"><input
    type="checkbox"
    name=${o.name ?? nothing}
    .checked=${o.value ?? o.defaultValue}
    @change=${(e: Event) => {
      const v = (e.target as HTMLInputElement).checked;
      o.onChange(v === o.defaultValue ? undefined : v);
    }}
  /><span>${o.label}</span></label>`;
}

export function selectField(
  o: FieldOpts<string> & { options: { value: string; label: string }[] },
): TemplateResult {
  return html`<label class="field"><span>${o.label}</span><select
    name=${o.name ?? nothing}
    @change=${(e: Event) => {
      const v = (e.target as HTMLSelectElement).value;
      o.onChange(v === '' ? undefined : v);
    }}
  >${o.options.map((opt) => html`<option value=${opt.value} .selected=${opt.value === (o.value ?? '')}>${opt.label}</option>`)}</select></label>`;
}

export function datalist(id: string, values: string[]): TemplateResult {
  return html`<datalist id=${id}>${values.map((v) => html`<option value=${v}></option>`)}</datalist>`;
}

export const editorStyles = css`
  :host {
    display: block;
    color: var(--primary-text-color);
  }
  .section {
    margin: 0 0 16px;
  }
  .section > h3 {
    margin: 0 0 8px;
    font-size: 15px;
    font-weight: 500;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
    gap: 8px 12px;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 12px;
    color: var(--primary-text-color);
  }
  .field.wide {
    grid-column: 1 / -1;
  }
  /* Outlined like HA's own fields (border in the secondary text colour, primary on focus):
     a grey filled box on a grey border reads as disabled. */
  input[type='text'],
  input[type='number'],
  select,
  textarea {
    font: inherit;
    font-size: 14px;
    padding: 8px 10px;
    border-radius: 6px;
    border: 1px solid var(--input-outlined-idle-border-color, var(--secondary-text-color));
    background: var(--card-background-color, transparent);
    color: var(--primary-text-color);
    box-sizing: border-box;
    width: 100%;
  }
  input:focus,
  select:focus,
  textarea:focus {
    outline: none;
    border-color: var(--primary-color);
    box-shadow: inset 0 0 0 1px var(--primary-color);
  }
  input[type='checkbox'] {
    accent-color: var(--primary-color);
    width: 18px;
    height: 18px;
  }
  textarea {
    resize: vertical;
    font-family: var(--code-font-family, monospace);
  }
  .check {
    display: flex;
    align-items: center;
    gap: 6px;
    font-size: 14px;
  }
  details.item {
    border: 1px solid var(--divider-color);
    border-radius: 8px;
    margin: 6px 0;
    padding: 0 8px;
  }
  details.item[open] {
    padding-bottom: 8px;
  }
  details.item > summary {
    cursor: pointer;
    padding: 8px 0;
    display: flex;
    align-items: center;
    gap: 8px;
  }
  summary .name {
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  button {
    font: inherit;
    font-size: 13px;
    border-radius: 6px;
    border: 1px solid var(--divider-color);
    background: var(--card-background-color);
    color: var(--primary-text-color);
    padding: 4px 10px;
    cursor: pointer;
  }
  button.add {
    color: var(--primary-color);
    border-color: var(--primary-color);
  }
  .row {
    display: grid;
    grid-template-columns: 1fr 1fr auto;
    gap: 6px;
    align-items: end;
    margin: 4px 0;
  }
  .error {
    color: var(--error-color);
    font-size: 12px;
  }
  svg.icon {
    width: 16px;
    height: 16px;
    fill: currentColor;
    display: block;
  }
`;
