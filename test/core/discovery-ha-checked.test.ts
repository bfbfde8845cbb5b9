/**
 * Discovery payload rules that a real Home Assistant (2026.11, test/e2e/ha-entities.test.ts)
 * showed were needed, as pure unit tests:
 * - `image` reads its URL from `url_topic` / `url_template` (HA refuses it otherwise:
 *   "Expected one of [`image_topic`, `url_topic`], got none");
 * - `switch` states are ON / OFF like binary sensors (a bare `{{ value_json.x }}` renders a
 *   boolean as "True", which HA's switch does not recognise).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discoveryPayload, type NodeContext } from '../../addon/src/entities/discovery.js';
import type { DeviceSpec } from '../../addon/src/entities/model.js';

const node: NodeContext = {
  nodeId: 'n1',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'Monitor', sw_version: '0.0.0' },
};
const device: DeviceSpec = { id: 'printer_1', name: 'Printer 1' };

test('an image entity takes its URL from the device state through url_topic / url_template', () => {
  const p = discoveryPayload(node, device, { component: 'image', key: 'snapshot', name: 'Snapshot' });
  assert.equal(p.url_topic, 'monitor/n1/printer_1/state');
  assert.equal(p.url_template, '{{ value_json.snapshot }}');
  assert.equal(p.state_topic, undefined);
  assert.equal(p.value_template, undefined);
});

test('an image entity with its own topic publishes the URL there', () => {
  const p = discoveryPayload(node, device, { component: 'image', key: 'cam', name: 'Cam', state: 'own' });
  assert.equal(p.url_topic, 'monitor/n1/printer_1/cam/state');
  assert.equal(p.url_template, undefined);
  assert.equal(p.state_topic, undefined);
});

test('an image entity keeps a module-given template', () => {
  const p = discoveryPayload(node, device, {
    component: 'image',
    key: 'thumb',
    name: 'Thumbnail',
    value_template: '{{ value_json.job.thumbnail }}',
  });
  assert.equal(p.url_template, '{{ value_json.job.thumbnail }}');
});

test('a switch renders a boolean state as ON / OFF and null as None (unknown)', () => {
  const p = discoveryPayload(node, device, {
    component: 'switch',
    key: 'power',
    name: 'Power',
    command: () => {},
  });
  assert.equal(
    p.value_template,
    '{% if value_json.power is none %}None{% elif value_json.power %}ON{% else %}OFF{% endif %}',
  );
  assert.equal(p.command_topic, 'monitor/n1/printer_1/power/set');
});
