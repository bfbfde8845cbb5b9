/**
 * A fake `hass` object for the preview page and the browser tests. It behaves like HA's on
 * the points the cards rely on: every change produces a new `hass` object and a new `states`
 * map, while an unchanged entity keeps the very same state object (the cards compare identity).
 * Service calls and `hass-action` events are recorded. `localize` and `formatEntityState`
 * answer with HA 2026.11's own texts (ha-texts.js, extracted from its frontend and translations)
 * the way HA's do; `formatEntityState: false` leaves the formatter out (a frontend without it),
 * `'marked'` tags what it formats (to tell HA's wording from the card's own).
 */
import { HA_TEXTS } from './ha-texts.js';

/** HA's space between a number and its unit (frontend `blankBeforeUnit`). */
function blankBeforeUnit(unit, language) {
  if (unit === '°') return '';
  if (unit === '%') return ['cs', 'de', 'fi', 'fr', 'sk', 'sv'].includes(language) ? ' ' : '';
  return ' ';
}

/** What HA's `formatEntityState` shows for the tests' entities: a number in the user's locale with its unit, a translated state, else the state. */
function formatEntityState(s, language) {
  const texts = HA_TEXTS[language] ?? HA_TEXTS.en;
  const unit = s.attributes.unit_of_measurement;
  if (s.state !== '' && /^-?\d+(\.\d+)?$/.test(s.state)) {
    const decimals = s.state.includes('.') ? s.state.length - s.state.indexOf('.') - 1 : 0;
    const n = new Intl.NumberFormat(language, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(Number(s.state));
    return unit ? `${n}${blankBeforeUnit(unit, language)}${unit}` : n;
  }
  if (s.state === 'unavailable' || s.state === 'unknown') return texts[`state.default.${s.state}`];
  const domain = s.entity_id.split('.')[0];
  const base = `component.${domain}.entity_component.`;
  const text =
    texts[`${base}${s.attributes.device_class}.state.${s.state}`] ?? texts[`${base}_.state.${s.state}`];
  return text ?? (unit ? `${s.state} ${unit}` : s.state);
}

/** @typedef {{entity_id: string, state: string, attributes: Record<string, unknown>, last_changed: string, last_updated: string}} HassEntity */

/**
 * @param {{ states?: Record<string, Partial<HassEntity>>, language?: string, darkMode?: boolean,
 *   onService?: (call: {domain: string, service: string, data: Record<string, unknown>}, ctl: object) => unknown,
 *   formatEntityState?: boolean | 'marked' }} [options]
 */
export function createFakeHass(options = {}) {
  const listeners = new Set();
  const calls = [];
  /** Websocket messages sent through hass.callWS (statistics requests). */
  const wsCalls = [];
  const actions = [];
  /** Errors HA's frontend would show as a toast (callService without notifyOnError = false). */
  const toasts = [];
  let language = options.language ?? 'en';
  let darkMode = options.darkMode ?? false;
  /** @type {Record<string, HassEntity>} */
  let states = {};
  const now = () => new Date().toISOString();
  for (const [id, s] of Object.entries(options.states ?? {})) {
    states[id] = normalise(id, s);
  }

  function normalise(id, s) {
    const t = s.last_changed ?? now();
    return {
      entity_id: id,
      state: String(s.state ?? 'unknown'),
      attributes: { ...(s.attributes ?? {}) },
      last_changed: t,
      last_updated: s.last_updated ?? t,
    };
  }

  const ctl = {
    calls,
    actions,
    toasts,
    wsCalls,
    hass: undefined,
    /** Replace one entity (new object); others keep their identity. */
    setState(id, state, attributes, extra = {}) {
      const old = states[id];
      const changed = !old || old.state !== String(state);
      const t = now();
      const next = {
        entity_id: id,
        state: String(state),
        attributes: attributes ?? old?.attributes ?? {},
        last_changed: extra.last_changed ?? (changed ? t : (old?.last_changed ?? t)),
        last_updated: t,
      };
      states = { ...states, [id]: next };
      publish();
      return next;
    },
    removeState(id) {
      const { [id]: _gone, ...rest } = states;
      states = rest;
      publish();
    },
    setLanguage(lang) {
      language = lang;
      publish();
    },
    setDarkMode(dark) {
      darkMode = dark;
      publish();
    },
    subscribe(fn) {
      listeners.add(fn);
      fn(ctl.hass);
      return () => listeners.delete(fn);
    },
    /** Records the `hass-action` events fired under `node` (HA's frontend would run them). */
    listen(node, handler) {
      node.addEventListener('hass-action', (e) => {
        actions.push({ action: e.detail.action, config: e.detail.config });
        handler?.(e.detail, ctl);
      });
    },
  };

  function build() {
    const hass = {
      states,
      language,
      locale: { language, number_format: 'language' },
      themes: { darkMode },
      user: { name: 'Demo', is_admin: true },
      async callService(domain, service, data = {}, target = undefined, notifyOnError = true) {
        const call = { domain, service, data: { ...data }, ...(target ? { target } : {}) };
        calls.push(call);
        if (!options.onService) return undefined;
        try {
          return await options.onService(call, ctl);
        } catch (err) {
          if (notifyOnError) toasts.push(`Failed to perform the action ${domain}/${service}. ${err.message}`);
          throw err;
        }
      },
      async callWS(msg) {
        wsCalls.push(msg);
        if (options.onWS) return options.onWS(msg, ctl);
        return {};
      },
    };
    const lang = language;
    hass.localize = (key) => (HA_TEXTS[lang] ?? HA_TEXTS.en)[key] ?? '';
    if (options.formatEntityState === 'marked') {
      hass.formatEntityState = (s) => `${formatEntityState(s, lang)} [ha]`;
    } else if (options.formatEntityState !== false) {
      hass.formatEntityState = (s) => formatEntityState(s, lang);
    }
    return hass;
  }

  function publish() {
    ctl.hass = build();
    for (const fn of listeners) fn(ctl.hass);
  }

  ctl.hass = build();
  return ctl;
}
