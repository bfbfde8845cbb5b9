/**
 * A stand-in for HA's `hui-form-editor` + `ha-form` outside Home Assistant (preview page and
 * browser tests): it renders a card's `getConfigForm()` schema with native controls, runs
 * `assertConfig` and fires `config-changed` like HA's dialog does. It renders only the
 * selectors the cards use (entity, text, number, boolean, select, statistic, grid/expandable);
 * inside HA the real `ha-form` renders the same schema.
 */
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class PreviewFormEditor extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.config = {};
    this.form = undefined;
    this._hass = undefined;
  }

  /** The card class whose getConfigForm() to render. */
  set cardTag(tag) {
    this.tag = tag;
    this.form = customElements.get(tag).getConfigForm();
    this.render();
  }

  /** Like HA's dialog, the form is rebuilt when the user's language changes. */
  set hass(h) {
    const relabel = this._hass?.language !== h?.language;
    this._hass = h;
    if (relabel && this.tag) this.cardTag = this.tag;
  }

  setConfig(config) {
    this.config = structuredClone(config);
    this.render();
  }

  change(name, value) {
    const next = { ...this.config };
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
      delete next[name];
    else next[name] = value;
    this.config = next;
    try {
      this.form.assertConfig?.(next);
      this.error = undefined;
    } catch (err) {
      this.error = err.message;
    }
    this.render();
    this.dispatchEvent(
      new CustomEvent('config-changed', { detail: { config: next }, bubbles: true, composed: true }),
    );
  }

  field(s) {
    if (s.schema)
      return `<fieldset data-name="${esc(s.name)}">${s.schema.map((x) => this.field(x)).join('')}</fieldset>`;
    // As HA's hui-form-editor: the card's label, else HA's own name for a common field, else the name.
    const localize = this._hass?.localize ?? (() => '');
    const label =
      this.form.computeLabel(s, localize) ||
      localize(`ui.panel.lovelace.editor.card.generic.${s.name}`) ||
      s.name;
    const helper = this.form.computeHelper?.(s);
    const [kind, opts] = Object.entries(s.selector)[0];
    const value = this.config[s.name] ?? s.default;
    const help = helper ? `<small>${helper}</small>` : '';
    if (kind === 'boolean')
      return `<label class="check"><input type="checkbox" name="${s.name}" ${value ? 'checked' : ''}/> <span>${label}</span></label>`;
    if (kind === 'select' && opts.multiple)
      return `<fieldset class="multi" data-name="${s.name}"><legend>${label}</legend>${opts.options
        .map(
          (o) =>
            `<label class="check"><input type="checkbox" name="${s.name}" value="${o.value}" ${(value ?? []).includes(o.value) ? 'checked' : ''}/> <span>${o.label}</span></label>`,
        )
        .join('')}${help}</fieldset>`;
    if (kind === 'select')
      return `<label class="field"><span>${label}</span><select name="${s.name}"><option value=""></option>${opts.options
        .map(
          (o) =>
            `<option value="${esc(o.value)}" ${o.value === value ? 'selected' : ''}>${esc(o.label)}</option>`,
        )
        .join('')}</select>${help}</label>`;
    if (kind === 'entity' && opts.multiple)
      return `<label class="field"><span>${label}</span><textarea name="${s.name}" data-list="1">${esc((value ?? []).join('\n'))}</textarea>${help}</label>`;
    const type = kind === 'number' ? 'number' : 'text';
    return `<label class="field"><span>${label}</span><input type="${type}" name="${s.name}" data-kind="${kind}" value="${esc(value)}"/>${help}</label>`;
  }

  render() {
    if (!this.form || !this.shadowRoot) return;
    this.shadowRoot.innerHTML = `<style>
      :host{display:block;color:var(--primary-text-color)} .field{display:flex;flex-direction:column;gap:4px;margin:6px 0;font-size:12px}
      input,select,textarea{font:inherit;font-size:14px;padding:8px;border-radius:6px;border:1px solid var(--secondary-text-color);background:var(--card-background-color);color:var(--primary-text-color)}
      fieldset{border:none;padding:0;margin:0} .check{display:flex;gap:6px;align-items:center;margin:4px 0} .error{color:var(--error-color)}
    </style>${this.form.schema.map((s) => this.field(s)).join('')}${this.error ? `<div class="error">${this.error}</div>` : ''}`;
    for (const el of this.shadowRoot.querySelectorAll('input,select,textarea')) {
      el.addEventListener('change', () => {
        const name = el.name;
        if (el.type === 'checkbox' && el.value !== 'on') {
          const all = [...this.shadowRoot.querySelectorAll(`input[name="${name}"]:checked`)].map(
            (x) => x.value,
          );
          return this.change(name, all);
        }
        if (el.type === 'checkbox') return this.change(name, el.checked);
        if (el.dataset.list) return this.change(name, el.value.split(/[\s,]+/).filter(Boolean));
        if (el.type === 'number') return this.change(name, el.value === '' ? undefined : Number(el.value));
        this.change(name, el.value.trim() === '' ? undefined : el.value);
      });
    }
  }
}

if (!customElements.get('preview-form-editor'))
  customElements.define('preview-form-editor', PreviewFormEditor);
