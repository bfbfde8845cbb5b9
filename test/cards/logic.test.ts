/**
 * The cards' pure logic, in Node: translations, state helpers, plan geometry and room mapping,
 * alarm rules, config validation and the tap / hold / double-tap recogniser.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readAlarmConfig } from '../../cards/src/cards/alarm-card/alarm-card-config.js';
import {
  availableCommands,
  codeFormat,
  codeRequired,
  countdown,
  formatDuration,
  lastAction,
  openSensors,
  supportedModes,
} from '../../cards/src/cards/alarm-card/utils.js';
import { readPlanConfig } from '../../cards/src/cards/plan-card/plan-card-config.js';
import {
  clampView,
  isSafeColour,
  isSafeImageUrl,
  isSvgSource,
  percentPosition,
  planPoint,
  roomAppearance,
  zoomAt,
} from '../../cards/src/cards/plan-card/utils.js';
import { readAction, resolveActions } from '../../cards/src/shared/actions.js';
import { TapTracker } from '../../cards/src/shared/gestures.js';
import { haText, languageOf, localize } from '../../cards/src/shared/i18n.js';
import { ICONS } from '../../cards/src/shared/icons.js';
import { formatState, stateColor, stateKind } from '../../cards/src/shared/state.js';
import type { HassEntity } from '../../cards/src/shared/types.js';
import { en } from '../../cards/src/translations/en.js';
import { fr } from '../../cards/src/translations/fr.js';

function entity(
  id: string,
  state: string,
  attributes: Record<string, unknown> = {},
  lastChanged = '2026-01-01T10:00:00Z',
): HassEntity {
  return { entity_id: id, state, attributes, last_changed: lastChanged, last_updated: lastChanged };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('i18n', () => {
  it('has a French text for every English key', () => {
    const missing = Object.keys(en).filter((k) => !(k in fr));
    assert.deepEqual(missing, []);
  });
  it('ships no text the cards never show (each key named in cards/src, or built from a named start)', () => {
    const code = sourceFiles(join(import.meta.dirname, '../../cards/src'))
      .filter((f) => !f.includes('/translations/'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    // Keys built at run time: `printer.state.${state}`, `editor.${name}` (form labels)…
    const starts = [...code.matchAll(/`([a-z_.]+)\$\{/g)].map((m) => m[1] as string);
    const unused = Object.keys(en).filter(
      (k) => !code.includes(`'${k}'`) && !starts.some((s) => k.startsWith(s)),
    );
    assert.deepEqual(unused, []);
  });
  it('bundles only icons a card draws (each named outside the ICONS table)', () => {
    const files = sourceFiles(join(import.meta.dirname, '../../cards/src'));
    const icons = readFileSync(join(import.meta.dirname, '../../cards/src/shared/icons.ts'), 'utf8');
    const code = [
      ...files.filter((f) => !f.endsWith('icons.ts')).map((f) => readFileSync(f, 'utf8')),
      icons.slice(icons.indexOf('export type IconName')),
    ].join('\n');
    assert.deepEqual(
      Object.keys(ICONS).filter((name) => !code.includes(`'${name}'`)),
      [],
    );
  });
  it('keeps the same placeholders in both languages', () => {
    for (const [k, v] of Object.entries(en)) {
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(ph(fr[k as keyof typeof en] ?? ''), ph(v), k);
    }
  });
  it('follows hass.locale, then hass.language, with English for anything else', () => {
    assert.equal(languageOf({ locale: { language: 'fr-CA' }, language: 'en' }), 'fr');
    assert.equal(languageOf({ language: 'fr' }), 'fr');
    assert.equal(languageOf({ language: 'de' }), 'en');
    assert.equal(languageOf(undefined), 'en');
  });
  it('fills placeholders as text', () => {
    assert.equal(localize('fr', 'alarm.by_user', { user: '{x} <b>' }), 'par {x} <b>');
    assert.equal(
      localize('en', 'common.entity_not_found', { entity: 'light.x' }),
      'Entity not found: light.x',
    );
  });
  it("takes HA's own texts from hass.localize, never blank without them", () => {
    const localizeFr = (key: string) => (key === 'ui.common.cancel' ? 'Annuler' : '');
    assert.equal(haText({ localize: localizeFr }, 'ui.common.cancel'), 'Annuler');
    // A key this frontend lacks, or no localize at all: the key's last part.
    assert.equal(haText({ localize: localizeFr }, 'ui.card.alarm_control_panel.clear_code'), 'clear_code');
    assert.equal(haText(undefined, 'ui.common.remove'), 'remove');
  });
});

describe('state helpers', () => {
  it('sorts states into kinds', () => {
    assert.equal(stateKind(undefined), 'missing');
    assert.equal(stateKind(entity('light.a', 'on')), 'active');
    assert.equal(stateKind(entity('light.a', 'off')), 'inactive');
    assert.equal(stateKind(entity('lock.a', 'locked')), 'inactive');
    assert.equal(stateKind(entity('lock.a', 'unlocked')), 'active');
    assert.equal(stateKind(entity('sensor.t', '21.5')), 'value');
    assert.equal(stateKind(entity('switch.a', 'unavailable')), 'unavailable');
    assert.equal(stateKind(entity('alarm_control_panel.a', 'disarmed')), 'inactive');
  });
  it('colours with theme variables only, most specific first', () => {
    assert.equal(
      stateColor(entity('light.a', 'on')),
      'var(--state-light-on-color, var(--state-light-active-color, var(--state-active-color)))',
    );
    assert.match(
      stateColor(entity('binary_sensor.d', 'on', { device_class: 'door' })),
      /^var\(--state-binary_sensor-door-on-color, /,
    );
    assert.match(stateColor(entity('switch.a', 'unavailable')), /--state-unavailable-color/);
    assert.doesNotMatch(stateColor(entity('light.a', 'on')), /#|rgb/);
  });
  it('words a state as HA does, and shows the raw state on a frontend without the formatter', () => {
    const door = entity('binary_sensor.d', 'on', { device_class: 'door' });
    const hass = { states: {}, callService: async () => undefined };
    assert.equal(
      formatState({ ...hass, formatEntityState: (s) => `${s.entity_id}=${s.state} (HA)` }, door),
      'binary_sensor.d=on (HA)',
    );
    assert.equal(formatState(hass, door), 'on');
    assert.equal(formatState(undefined, entity('input_select.x', 'heat_cool')), 'heat_cool');
  });
});

describe('plan geometry', () => {
  const box = { minX: 100, minY: 50, width: 800, height: 400 };
  it('places markers in % of the plan box, clamped inside it', () => {
    assert.deepEqual(percentPosition(box, 500, 250), { left: 50, top: 50 });
    assert.deepEqual(percentPosition(box, 0, 1000), { left: 0, top: 100 });
  });
  it('zooms around the pointer: the plan point under it does not move', () => {
    const before = planPoint(box, { k: 1, fx: 0, fy: 0 }, 0.25, 0.75);
    const view = zoomAt({ k: 1, fx: 0, fy: 0 }, 2, 0.25, 0.75, 6);
    assert.equal(view.k, 2);
    const after = planPoint(box, view, 0.25, 0.75);
    assert.ok(Math.abs(after.x - before.x) < 1e-9 && Math.abs(after.y - before.y) < 1e-9);
  });
  it('keeps the zoom within [1, max] and the plan covering the viewport', () => {
    assert.deepEqual(clampView({ k: 10, fx: 5, fy: -50 }, 4), { k: 4, fx: 0, fy: -3 });
    assert.deepEqual(clampView({ k: 0.5, fx: -1, fy: 0 }, 4), { k: 1, fx: 0, fy: 0 });
  });
  it('recognises SVG sources and refuses non-web image addresses', () => {
    assert.ok(isSvgSource('/local/plan.svg?v=2'));
    assert.ok(isSvgSource('monitor:sample'));
    assert.ok(!isSvgSource('/local/plan.png'));
    assert.ok(isSafeImageUrl('/local/plan.png'));
    assert.ok(isSafeImageUrl('https://example.org/p.svg'));
    assert.ok(!isSafeImageUrl('javascript:alert(1)'));
    assert.ok(!isSafeImageUrl('file:///etc/passwd'));
  });
  it('accepts colours only as fills', () => {
    for (const ok of [
      'var(--state-active-color)',
      '#ff000080',
      'rgb(10, 20, 30)',
      'tomato',
      'var(--x, #fff)',
    ])
      assert.ok(isSafeColour(ok), ok);
    for (const bad of ['url(https://x/y)', 'red; background: url(x)', 'expression(alert(1))', '</style>'])
      assert.ok(!isSafeColour(bad), bad);
  });
  it('maps a room state to classes and fill: exact state, then kind, then default', () => {
    const room = {
      classes: { on: 'occupied busy', default: 'calm' },
      fills: { unavailable: 'var(--error-color)' },
    };
    assert.deepEqual(roomAppearance(room, entity('binary_sensor.m', 'on')).classes, [
      'monitor-room',
      'monitor-active',
      'occupied',
      'busy',
    ]);
    assert.deepEqual(roomAppearance(room, entity('binary_sensor.m', 'off')).classes, [
      'monitor-room',
      'monitor-inactive',
      'calm',
    ]);
    assert.equal(roomAppearance(room, undefined).fill, 'var(--error-color)');
    assert.deepEqual(roomAppearance({}, entity('light.a', 'on')).classes, [
      'monitor-room',
      'monitor-active',
      'monitor-auto',
    ]);
  });
});

describe('plan config', () => {
  const base = {
    type: 'custom:monitor-plan-card',
    image: '/local/plan.svg',
    markers: [{ entity: 'light.a', x: 1, y: 2 }],
  };
  it('accepts a full config and keeps HA layout keys', () => {
    const c = readPlanConfig({
      ...base,
      title: 'Plan',
      width: 800,
      height: 500,
      zoom: false,
      max_zoom: 4,
      marker_size: 40,
      show_values: false,
      grid_options: { columns: 12 },
      tap_action: { action: 'toggle' },
      rooms: [
        {
          id: 'kitchen',
          entity: 'light.a',
          classes: { on: 'lit' },
          fills: { off: '#333' },
          hold_action: { action: 'none' },
        },
      ],
    });
    assert.equal(c.markers.length, 1);
    assert.deepEqual((c as unknown as Record<string, unknown>).grid_options, { columns: 12 });
    assert.equal(c.rooms?.[0]?.classes?.on, 'lit');
  });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['missing image', { ...base, image: undefined }, /^image: required/],
    ['javascript image', { ...base, image: 'javascript:alert(1)' }, /^image: expected/],
    [
      'bad marker x',
      { ...base, markers: [{ entity: 'light.a', x: '1', y: 2 }] },
      /^markers\[0\]\.x: expected a number/,
    ],
    [
      'bad entity',
      { ...base, markers: [{ entity: 'kitchen', x: 1, y: 2 }] },
      /^markers\[0\]\.entity: expected an entity id/,
    ],
    ['typo', { ...base, markerz: [] }, /^markerz: unknown option/],
    [
      'rooms on a png',
      { ...base, image: '/local/p.png', rooms: [{ id: 'a', entity: 'light.a' }] },
      /^rooms: rooms need an SVG plan/,
    ],
    [
      'fill with url()',
      { ...base, rooms: [{ id: 'a', entity: 'light.a', fills: { on: 'url(http://x)' } }] },
      /^rooms\[0\]\.fills\.on: expected a colour/,
    ],
    [
      'class with markup',
      { ...base, rooms: [{ id: 'a', entity: 'light.a', classes: { on: 'a"b' } }] },
      /^rooms\[0\]\.classes\.on: expected CSS class/,
    ],
    ['width alone', { ...base, width: 10 }, /^height: give both/],
    ['bad action', { ...base, tap_action: { action: 'explode' } }, /^tap_action\.action: expected one of/],
    [
      'url action to javascript',
      { ...base, tap_action: { action: 'url', url_path: ' javascript:x' } },
      /^tap_action\.url_path: not a web address/,
    ],
  ];
  for (const [name, config, message] of cases) {
    it(`refuses ${name} with a clear message`, () => {
      assert.throws(
        () => readPlanConfig(config),
        (err: Error) => {
          assert.equal(err.name, 'ConfigError');
          assert.match(err.message, message);
          return true;
        },
      );
    });
  }
});

describe('actions', () => {
  it('takes each gesture from the first layer that sets it', () => {
    const r = resolveActions(
      { tap_action: { action: 'toggle' } },
      { hold_action: { action: 'none' } },
      { tap_action: { action: 'more-info' }, hold_action: { action: 'more-info' } },
    );
    assert.deepEqual(r, {
      tap_action: { action: 'toggle' },
      hold_action: { action: 'none' },
      double_tap_action: { action: 'none' },
    });
  });
  it('needs the fields of each kind', () => {
    assert.throws(
      () => readAction({ action: 'navigate' }, 'tap_action'),
      /tap_action\.navigation_path: required/,
    );
    assert.doesNotThrow(() =>
      readAction(
        { action: 'perform-action', perform_action: 'light.toggle', data: { entity_id: 'light.a' } },
        'x',
      ),
    );
  });
});

describe('alarm rules', () => {
  const panel = (state: string, attrs: Record<string, unknown> = {}, lastChanged?: string) =>
    entity(
      'alarm_control_panel.h',
      state,
      { supported_features: 63, code_format: 'number', ...attrs },
      lastChanged,
    );
  it('filters modes by supported_features bits', () => {
    assert.deepEqual(supportedModes(panel('disarmed', { supported_features: 1 | 2 | 32 })), [
      'arm_home',
      'arm_away',
      'arm_vacation',
    ]);
    assert.deepEqual(supportedModes(panel('disarmed', { supported_features: 4 | 16 })), [
      'arm_night',
      'arm_custom_bypass',
    ]);
    assert.deepEqual(supportedModes(panel('disarmed', { supported_features: 8 }), ['trigger', 'arm_home']), [
      'trigger',
    ]);
    assert.deepEqual(supportedModes(entity('alarm_control_panel.old', 'disarmed')), ['arm_home', 'arm_away']);
  });
  it('offers the commands that fit the state', () => {
    const modes = ['arm_away', 'arm_home', 'trigger'] as const;
    assert.deepEqual(availableCommands(panel('disarmed'), modes), ['arm_away', 'arm_home', 'trigger']);
    assert.deepEqual(availableCommands(panel('armed_night'), modes), ['disarm', 'trigger']);
    assert.deepEqual(availableCommands(panel('arming'), modes), ['disarm']);
    assert.deepEqual(availableCommands(panel('disarming'), modes), []);
    assert.deepEqual(availableCommands(panel('unavailable'), modes), []);
  });
  it('knows when a code is needed and which keyboard', () => {
    assert.equal(codeFormat(panel('disarmed')), 'number');
    assert.equal(codeFormat(panel('disarmed', { code_format: 'text' })), 'text');
    assert.equal(codeFormat(panel('disarmed', { code_format: '^\\d{4}$' })), 'number');
    assert.equal(codeFormat(panel('disarmed', { code_format: null })), undefined);
    assert.equal(codeRequired(panel('disarmed', { code_arm_required: false }), 'arm_away'), false);
    assert.equal(codeRequired(panel('armed_away', { code_arm_required: false }), 'disarm'), true);
    assert.equal(codeRequired(panel('armed_away', { code_format: null }), 'disarm'), false);
  });
  it('counts down from the entity delay, its end time, or the configured time', () => {
    const start = '2026-01-01T10:00:00Z';
    const now = Date.parse(start) + 12_300;
    assert.deepEqual(countdown(panel('pending', { delay: 30 }, start), now), { remaining: 18, total: 30 });
    assert.deepEqual(countdown(panel('arming', { ends_at: '2026-01-01T10:01:00Z' }, start), now), {
      remaining: 48,
      total: 60,
    });
    assert.deepEqual(countdown(panel('arming', {}, start), now, { arming: 20 }), { remaining: 8, total: 20 });
    assert.equal(countdown(panel('arming', {}, start), now), undefined);
    assert.equal(countdown(panel('armed_away', { delay: 30 }, start), now), undefined);
    assert.deepEqual(countdown(panel('pending', { delay: 5 }, start), now), { remaining: 0, total: 5 });
    assert.equal(formatDuration(75), '1:15');
  });
  it('reads who and how from the usual attributes', () => {
    assert.deepEqual(lastAction(panel('armed_away', { changed_by: 'Alice', channel: 'SMS' })), {
      user: 'Alice',
      channel: 'SMS',
      channelKey: 'sms',
    });
    assert.deepEqual(lastAction(panel('armed_away', { last_user: 'Bob', changed_via: 'Zigbee' })), {
      user: 'Bob',
      channel: 'Zigbee',
    });
    assert.equal(lastAction(panel('armed_away', { changed_by: null })), undefined);
  });
  it('lists open sensors from the config and from the entity', () => {
    const states = {
      'binary_sensor.a': entity('binary_sensor.a', 'on'),
      'binary_sensor.b': entity('binary_sensor.b', 'off'),
      'binary_sensor.c': entity('binary_sensor.c', 'unavailable'),
      'binary_sensor.d': entity('binary_sensor.d', 'on'),
    };
    const ids = (s: ReturnType<typeof openSensors>) => s.map((x) => x.entity_id);
    assert.deepEqual(
      ids(
        openSensors(
          states,
          ['binary_sensor.a', 'binary_sensor.b', 'binary_sensor.c'],
          panel('disarmed', { open_sensors: { 'binary_sensor.d': 'on', 'binary_sensor.a': 'on' } }),
        ),
      ),
      ['binary_sensor.a', 'binary_sensor.c', 'binary_sensor.d'],
    );
    assert.deepEqual(ids(openSensors(states, [], panel('disarmed', { open_sensors: ['binary_sensor.x'] }))), [
      'binary_sensor.x',
    ]);
  });
  it('validates its config', () => {
    assert.deepEqual(
      readAlarmConfig({
        type: 'x',
        entity: 'alarm_control_panel.h',
        sensors: ['binary_sensor.a', { entity: 'binary_sensor.b' }],
      }).sensors,
      ['binary_sensor.a', 'binary_sensor.b'],
    );
    assert.throws(
      () => readAlarmConfig({ type: 'x', entity: 'light.a' }),
      /^Error|entity: expected an entity of domain alarm_control_panel/,
    );
    assert.throws(() => readAlarmConfig({ type: 'x' }), /entity: required/);
    assert.throws(
      () => readAlarmConfig({ type: 'x', entity: 'alarm_control_panel.h', modes: ['arm_away', 'panic'] }),
      /modes\[1\]: expected one of/,
    );
    assert.throws(
      () => readAlarmConfig({ type: 'x', entity: 'alarm_control_panel.h', modes: ['arm_away', 'arm_away'] }),
      /modes: arm_away is listed twice/,
    );
    assert.throws(
      () => readAlarmConfig({ type: 'x', entity: 'alarm_control_panel.h', arming_time: -1 }),
      /arming_time: must be ≥ 0/,
    );
  });
});

describe('tap / hold / double tap', () => {
  it('tells the gestures apart, and a move cancels', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const seen: string[] = [];
    const tracker = new TapTracker<string>({
      onGesture: (target, g) => seen.push(`${target}:${g}`),
      wantsHold: () => true,
      wantsDoubleTap: (target) => target === 'dbl',
    });
    tracker.down('a', 0, 0);
    tracker.up();
    tracker.down('a', 0, 0);
    t.mock.timers.tick(600);
    tracker.up();
    tracker.down('a', 0, 0);
    tracker.move(30, 0);
    tracker.up();
    tracker.down('dbl', 0, 0);
    tracker.up();
    tracker.down('dbl', 0, 0);
    tracker.up();
    tracker.down('dbl', 0, 0);
    tracker.up();
    assert.deepEqual(seen, ['a:tap', 'a:hold', 'dbl:double_tap']);
    t.mock.timers.tick(300);
    assert.deepEqual(seen, ['a:tap', 'a:hold', 'dbl:double_tap', 'dbl:tap']);
    tracker.dispose();
  });
});
