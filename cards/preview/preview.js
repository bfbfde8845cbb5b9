/**
 * The cards' preview page (`monitor demo` serves it): both cards on a fake `hass` whose
 * entities live a little (temperatures drift, motion comes and goes) and an alarm that
 * arms, counts down and disarms with the code 1234, like HA's manual alarm.
 */
import { createFakeHass } from './fake-hass.js';
import './form-editor.js';
// HA's icon elements, which the cards use for an entity's icon (this page is not HA).
import './ha-icons.js';

const CODE = '1234';
const ALARM = 'alarm_control_panel.house';
const log = (line) => {
  const el = document.getElementById('log');
  el.textContent = `${new Date().toLocaleTimeString()} ${line}\n${el.textContent}`.slice(0, 4000);
};

const alarmAttrs = (extra = {}) => ({
  friendly_name: 'House alarm',
  code_format: 'number',
  code_arm_required: true,
  supported_features: 63,
  ...extra,
});

// A Linky meter and three printers shaped like the entities Monitor publishes (entity ids from
// the unique ids: <domain>.monitor_<device>_<key>), and HA's statistics answer for the Linky card.
const METER = 'monitor_linky_031764953443';
function linkyStates() {
  const s = (key, state, unit) => ({
    state,
    attributes: {
      friendly_name: `Linky ${key.replace(/_/g, ' ')}`,
      ...(unit ? { unit_of_measurement: unit } : {}),
    },
  });
  return {
    [`sensor.${METER}_apparent_power`]: s('apparent_power', '2300', 'VA'),
    [`sensor.${METER}_subscribed_power`]: s('subscribed_power', '9', 'kVA'),
    [`sensor.${METER}_max_power_today`]: s('max_power_today', '5460', 'VA'),
    [`sensor.${METER}_tariff_period`]: s('tariff_period', 'off_peak'),
    [`sensor.${METER}_contract`]: s('contract', 'HC..'),
    [`sensor.${METER}_energy_total`]: s('energy_total', '37037.406', 'kWh'),
    [`sensor.${METER}_index_hchc`]: s('index_hchc', '15012.110', 'kWh'),
    [`sensor.${METER}_index_hchp`]: s('index_hchp', '22025.296', 'kWh'),
    [`binary_sensor.${METER}_overload`]: s('overload', 'off'),
  };
}

function printerStates(slug, name, state, progress, remaining) {
  const p = `monitor_printer_${slug}`;
  const a = (label, unit) => ({
    friendly_name: `${name} ${label}`,
    ...(unit ? { unit_of_measurement: unit } : {}),
  });
  const job = state !== 'idle';
  const out = {
    [`sensor.${p}_state`]: { state, attributes: a('State') },
    [`binary_sensor.${p}_online`]: { state: 'on', attributes: a('Online') },
    [`sensor.${p}_tool0_temperature`]: {
      state: job ? '214.8' : '24.1',
      attributes: a('Nozzle temperature', '°C'),
    },
    [`sensor.${p}_tool0_target`]: { state: job ? '215' : '0', attributes: a('Nozzle target', '°C') },
    [`sensor.${p}_bed_temperature`]: { state: job ? '59.9' : '23.0', attributes: a('Bed temperature', '°C') },
    [`sensor.${p}_bed_target`]: { state: job ? '60' : '0', attributes: a('Bed target', '°C') },
    [`button.${p}_pause`]: { state: 'unknown', attributes: a('Pause') },
    [`button.${p}_resume`]: { state: 'unknown', attributes: a('Resume') },
    [`button.${p}_cancel`]: { state: 'unknown', attributes: a('Cancel') },
  };
  if (job) {
    Object.assign(out, {
      [`sensor.${p}_progress`]: { state: String(progress), attributes: a('Progress', '%') },
      [`sensor.${p}_remaining`]: { state: String(remaining), attributes: a('Remaining', 's') },
      [`sensor.${p}_elapsed`]: {
        state: String(Math.round((remaining * progress) / (100 - progress))),
        attributes: a('Elapsed', 's'),
      },
      [`sensor.${p}_file`]: { state: `${slug}-benchy.gcode`, attributes: a('File') },
      [`sensor.${p}_layer`]: { state: String(Math.round(progress * 2.4)), attributes: a('Layer') },
      [`sensor.${p}_layer_total`]: { state: '240', attributes: a('Layer count') },
    });
    if (state === 'printing')
      out[`sensor.${p}_eta`] = {
        state: new Date(Date.now() + remaining * 1000).toISOString(),
        attributes: a('ETA'),
      };
  }
  return out;
}

/** `recorder/statistics_during_period` as HA answers it: `{id: [{start, end, change}]}`, ms. */
function statistics(msg) {
  if (msg.type !== 'recorder/statistics_during_period') return {};
  const out = {};
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  for (const id of msg.statistic_ids) {
    const rows = [];
    for (let d = new Date(Date.parse(msg.start_time)); d <= today; d.setDate(d.getDate() + 1)) {
      const day = Math.round((today - d) / 86_400_000);
      const kwh = day === 0 ? 6.1 : 9 + ((day * 7) % 5);
      const next = new Date(d);
      next.setDate(next.getDate() + 1);
      const share = id.endsWith('_hchc') ? 0.42 : id.endsWith('_hchp') ? 0.58 : 1;
      rows.push({ start: d.getTime(), end: next.getTime(), change: kwh * share });
    }
    out[id] = rows;
  }
  return out;
}

const ctl = createFakeHass({
  language: navigator.language?.startsWith('fr') ? 'fr' : 'en',
  states: {
    'light.living': { state: 'on', attributes: { friendly_name: 'Living light' } },
    'light.kitchen': { state: 'off', attributes: { friendly_name: 'Kitchen light' } },
    'binary_sensor.front_door': {
      state: 'off',
      attributes: { friendly_name: 'Front door', device_class: 'door' },
    },
    'binary_sensor.kitchen_window': {
      state: 'on',
      attributes: { friendly_name: 'Kitchen window', device_class: 'window' },
    },
    'binary_sensor.hall_motion': {
      state: 'off',
      attributes: { friendly_name: 'Hall motion', device_class: 'motion' },
    },
    'sensor.living_temperature': {
      state: '21.5',
      attributes: {
        friendly_name: 'Living temperature',
        device_class: 'temperature',
        unit_of_measurement: '°C',
      },
    },
    'sensor.bedroom_temperature': {
      state: '19.0',
      attributes: {
        friendly_name: 'Bedroom temperature',
        device_class: 'temperature',
        unit_of_measurement: '°C',
      },
    },
    'sensor.bathroom_humidity': {
      state: '64',
      attributes: { friendly_name: 'Bathroom humidity', device_class: 'humidity', unit_of_measurement: '%' },
    },
    'switch.bedroom_heater': { state: 'unavailable', attributes: { friendly_name: 'Bedroom heater' } },
    'lock.front': { state: 'locked', attributes: { friendly_name: 'Front lock' } },
    [ALARM]: { state: 'disarmed', attributes: alarmAttrs() },
    ...linkyStates(),
    ...printerStates('voron', 'Voron 2.4', 'printing', 38, 2900),
    ...printerStates('prusa_mk4', 'Prusa MK4', 'paused', 71, 1500),
    ...printerStates('ender_3', 'Ender 3', 'idle'),
  },
  onWS: statistics,
  onService(call, c) {
    log(
      `callService ${call.domain}.${call.service} ${JSON.stringify({ ...call.data, code: call.data.code ? '••••' : undefined })}`,
    );
    if (call.domain !== 'alarm_control_panel') return;
    const current = c.hass.states[ALARM];
    const needsCode = call.service === 'alarm_disarm' || current.attributes.code_arm_required;
    if (needsCode && call.data.code !== CODE)
      throw new Error(document.documentElement.lang === 'fr' ? 'Code incorrect' : 'Invalid code');
    const who = { changed_by: 'Demo', channel: 'ui' };
    if (call.service === 'alarm_disarm') return c.setState(ALARM, 'disarmed', alarmAttrs(who));
    if (call.service === 'alarm_trigger') return c.setState(ALARM, 'triggered', alarmAttrs(who));
    const target = call.service.replace('alarm_arm_', 'armed_');
    c.setState(ALARM, 'arming', alarmAttrs({ ...who, delay: 10, next_state: target }));
    setTimeout(() => {
      if (c.hass.states[ALARM].state === 'arming') c.setState(ALARM, target, alarmAttrs(who));
    }, 10_000);
  },
});

const planConfig = {
  type: 'custom:monitor-plan-card',
  title: 'Ground floor',
  image: 'plan.svg',
  markers: [
    { entity: 'light.living', x: 220, y: 150, tap_action: { action: 'toggle' } },
    { entity: 'light.kitchen', x: 615, y: 110, tap_action: { action: 'toggle' } },
    { entity: 'binary_sensor.front_door', x: 40, y: 200 },
    { entity: 'binary_sensor.kitchen_window', x: 700, y: 30 },
    { entity: 'binary_sensor.hall_motion', x: 325, y: 400 },
    { entity: 'sensor.living_temperature', x: 110, y: 240 },
    { entity: 'sensor.bedroom_temperature', x: 700, y: 300 },
    { entity: 'sensor.bathroom_humidity', x: 110, y: 400 },
    { entity: 'switch.bedroom_heater', x: 560, y: 420, label: 'Heater' },
    { entity: 'lock.front', x: 60, y: 300 },
  ],
  rooms: [
    { id: 'living', entity: 'light.living' },
    { id: 'kitchen', entity: 'light.kitchen' },
    { id: 'hall', entity: 'binary_sensor.hall_motion', classes: { on: 'occupied' } },
    { id: 'bedroom', entity: 'switch.bedroom_heater' },
  ],
};
const alarmConfig = {
  type: 'custom:monitor-alarm-card',
  entity: ALARM,
  sensors: ['binary_sensor.front_door', 'binary_sensor.kitchen_window'],
  modes: ['arm_home', 'arm_away', 'arm_night', 'trigger'],
};

async function start() {
  try {
    await import('./monitor-cards.js');
  } catch {
    document.getElementById('missing').style.display = 'block';
    return;
  }
  const pairs = [
    ['plan', planConfig],
    ['alarm', alarmConfig],
    ['printer', { type: 'custom:monitor-printer-card', title: 'Printers' }],
    ['linky', { type: 'custom:monitor-linky-card', price_per_kwh: 0.2516 }],
  ];
  for (const [id, config] of pairs) {
    const card = document.getElementById(id);
    const editor = document.getElementById(`${id}-editor`);
    if (editor.localName === 'preview-form-editor') editor.cardTag = card.localName;
    card.setConfig(config);
    editor.setConfig(config);
    editor.addEventListener('config-changed', (e) => {
      try {
        card.setConfig(e.detail.config);
      } catch (err) {
        log(`config error: ${err.message}`);
      }
    });
    ctl.listen(card, (detail, c) => {
      const cfg = detail.config[`${detail.action}_action`];
      log(`hass-action ${detail.action} ${detail.config.entity} → ${cfg?.action}`);
      const s = c.hass.states[detail.config.entity];
      if (cfg?.action === 'toggle' && s)
        c.setState(s.entity_id, s.state === 'on' ? 'off' : 'on', s.attributes);
      if (cfg?.action === 'more-info') {
        document.getElementById('mi-title').textContent = s?.attributes.friendly_name ?? detail.config.entity;
        document.getElementById('mi-body').textContent = s
          ? JSON.stringify({ state: s.state, attributes: s.attributes }, null, 2)
          : '—';
        document.getElementById('more-info').showModal();
      }
    });
    ctl.subscribe((h) => {
      card.hass = h;
      editor.hass = h;
    });
  }
  const langButton = document.getElementById('lang');
  const themeButton = document.getElementById('theme');
  const syncButtons = () => {
    const fr = ctl.hass.language === 'fr';
    document.documentElement.lang = ctl.hass.language;
    // The page's own texts (title, editor summaries) follow the language like the cards.
    for (const el of document.querySelectorAll('[data-fr]')) el.textContent = el.dataset[fr ? 'fr' : 'en'];
    langButton.textContent = fr ? 'English' : 'Français';
    themeButton.textContent = ctl.hass.themes.darkMode ? (fr ? 'Clair' : 'Light') : fr ? 'Sombre' : 'Dark';
    document.documentElement.dataset.theme = ctl.hass.themes.darkMode ? 'dark' : 'light';
  };
  langButton.addEventListener('click', () => {
    ctl.setLanguage(ctl.hass.language === 'fr' ? 'en' : 'fr');
    syncButtons();
  });
  themeButton.addEventListener('click', () => {
    ctl.setDarkMode(!ctl.hass.themes.darkMode);
    syncButtons();
  });
  syncButtons();
  // Live entities: drifting temperatures, motion that comes and goes.
  setInterval(() => {
    for (const id of ['sensor.living_temperature', 'sensor.bedroom_temperature']) {
      const s = ctl.hass.states[id];
      const v = Number(s.state) + (Math.random() - 0.5) * 0.4;
      ctl.setState(id, v.toFixed(1), s.attributes);
    }
    const power = ctl.hass.states[`sensor.${METER}_apparent_power`];
    ctl.setState(power.entity_id, String(Math.round(1500 + Math.random() * 2500)), power.attributes);
    const nozzle = ctl.hass.states['sensor.monitor_printer_voron_tool0_temperature'];
    ctl.setState(nozzle.entity_id, (214.5 + Math.random()).toFixed(1), nozzle.attributes);
    const m = ctl.hass.states['binary_sensor.hall_motion'];
    if (Math.random() < 0.3) ctl.setState(m.entity_id, m.state === 'on' ? 'off' : 'on', m.attributes);
  }, 2000);
  window.previewReady = true;
}

start();
