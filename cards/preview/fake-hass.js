/**
 * A fake `hass` object for the preview page and the browser tests. It behaves like HA's on
 * the points the cards rely on: every change produces a new `hass` object and a new `states`
 * map, while an unchanged entity keeps the very same state object (the cards compare identity).
 * Service calls and `hass-action` events are recorded.
 */

/** @typedef {{entity_id: string, state: string, attributes: Record<string, unknown>, last_changed: string, last_updated: string}} HassEntity */

/**
 * @param {{ states?: Record<string, Partial<HassEntity>>, language?: string, darkMode?: boolean,
 *   onService?: (call: {domain: string, service: string, data: Record<string, unknown>}, ctl: object) => unknown,
 *   formatEntityState?: boolean }} [options]
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
    if (options.formatEntityState) {
      hass.formatEntityState = (s) =>
        `${s.state}${s.attributes.unit_of_measurement ? ` ${s.attributes.unit_of_measurement}` : ''} [ha]`;
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
