/**
 * The pure discovery payload builders (addon/src/entities/discovery.ts) against Home
 * Assistant's MQTT discovery documentation, https://www.home-assistant.io/integrations/mqtt/
 * ("MQTT discovery" section) and the per-platform pages (sensor.mqtt, binary_sensor.mqtt,
 * button.mqtt, event.mqtt, notify.mqtt). Quotations in the test names come from those pages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import stringify from 'safe-stable-stringify';
import {
  availabilityBlock,
  deviceBlock,
  discoveryPayload,
  GATEWAY_DEVICE_ID,
  type NodeContext,
  stateModeOf,
  topics,
  uniqueId,
} from '../../addon/src/entities/discovery.js';
import {
  binarySensor,
  button,
  type DeviceSpec,
  diagnostic,
  eventEntity,
  notifyEntity,
  sensor,
  slugify,
} from '../../addon/src/entities/model.js';

const node: NodeContext = {
  nodeId: 'garage',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'Monitor', sw_version: '1.2.3', support_url: 'https://example.invalid/monitor' },
};

const meter: DeviceSpec = {
  id: 'linky_021861348497',
  name: 'Linky',
  manufacturer: 'Enedis',
  model: 'Linky',
  sw_version: '',
  serial_number: '021861348497',
};

const energy = sensor('energy_total', 'Energy', {
  device_class: 'energy',
  state_class: 'total_increasing',
  unit: 'kWh',
  value_key: 'east',
});

// HA's own pattern for the topic levels: "[a-zA-Z0-9_-] (alphanumerics, underscore and hyphen)".
const TOPIC_LEVEL = /^[a-zA-Z0-9_-]+$/;

describe('discovery topic', () => {
  test('"<discovery_prefix>/<component>/[<node_id>/]<object_id>/config", node level = <node_id>_<device>', () => {
    const t = topics.discovery(node, meter.id, energy);
    assert.equal(t, 'homeassistant/sensor/garage_linky_021861348497/energy_total/config');
    const [prefix, component, nodeLevel, objectId, last] = t.split('/');
    assert.equal(prefix, node.discoveryPrefix);
    assert.equal(component, 'sensor');
    assert.match(nodeLevel ?? '', TOPIC_LEVEL);
    assert.match(objectId ?? '', TOPIC_LEVEL);
    assert.equal(last, 'config');
  });

  test('the component in the topic is the entity platform (binary_sensor, button, event, notify)', () => {
    assert.equal(
      topics.discovery(node, 'alarm', binarySensor('door', 'Door')),
      'homeassistant/binary_sensor/garage_alarm/door/config',
    );
    assert.match(
      topics.discovery(
        node,
        'sms',
        button('reset', 'Reset', () => {}),
      ),
      /^homeassistant\/button\//,
    );
    assert.match(
      topics.discovery(node, 'sms', eventEntity('rx', 'Received', ['sms'])),
      /^homeassistant\/event\//,
    );
    assert.match(
      topics.discovery(
        node,
        'sms',
        notifyEntity('tx', 'Send', () => {}),
      ),
      /^homeassistant\/notify\//,
    );
  });

  test('a custom discovery prefix and base topic are honoured', () => {
    const n = { ...node, discoveryPrefix: 'ha', baseTopic: 'home/monitor' };
    assert.equal(topics.discovery(n, 'x', energy), 'ha/sensor/garage_x/energy_total/config');
    assert.equal(topics.deviceState(n, 'x'), 'home/monitor/garage/x/state');
    assert.equal(topics.status(n), 'home/monitor/garage/status');
  });

  test('slugify gives ids usable in topics and unique ids', () => {
    assert.equal(slugify('Prusa MK4 — Atelier'), 'prusa_mk4_atelier');
    assert.equal(slugify('Élodie'), 'elodie');
    assert.equal(slugify('***'), 'x');
    assert.match(slugify('Ender-3 V2 (garage)'), /^[a-z0-9_]+$/);
  });
});

describe('discovery payload', () => {
  const p = discoveryPayload(node, meter, energy);

  test('"unique_id: An ID that uniquely identifies this sensor": <node_id>_<device>_<key>', () => {
    assert.equal(p.unique_id, 'garage_linky_021861348497_energy_total');
    assert.equal(uniqueId(node, meter.id, energy.key), p.unique_id);
    const other = discoveryPayload({ ...node, nodeId: 'attic' }, meter, energy);
    assert.notEqual(other.unique_id, p.unique_id, 'two instances must not collide');
  });

  test('default_entity_id "<platform>.<object id>" is used and the deprecated object_id is not', () => {
    assert.equal(p.default_entity_id, 'sensor.garage_linky_021861348497_energy_total');
    assert.equal('object_id' in p, false);
  });

  test('device block: "identifiers" list, name, manufacturer, model, serial_number; empty fields left out', () => {
    assert.deepEqual(p.device, {
      identifiers: ['garage_linky_021861348497'],
      name: 'Linky',
      manufacturer: 'Enedis',
      model: 'Linky',
      serial_number: '021861348497',
      via_device: 'garage_gateway',
    });
  });

  test('"via_device: Identifier of a device that routes messages between this device and Home Assistant" = the gateway', () => {
    const gw = deviceBlock(node, { id: GATEWAY_DEVICE_ID, name: 'Monitor garage', sw_version: '1.2.3' });
    assert.deepEqual(gw.identifiers, ['garage_gateway']);
    assert.equal('via_device' in gw, false, 'the gateway is not behind itself');
    assert.equal((p.device as Record<string, unknown>).via_device, (gw.identifiers as string[])[0]);
    const direct = deviceBlock(node, { ...meter, via_gateway: false });
    assert.equal('via_device' in direct, false);
  });

  test('origin block "name" (required), "sw_version", "support_url"', () => {
    assert.deepEqual(p.origin, {
      name: 'Monitor',
      sw_version: '1.2.3',
      support_url: 'https://example.invalid/monitor',
    });
  });

  test('"availability: A list of MQTT topics" (instance + device) and availability_mode "all"', () => {
    assert.deepEqual(p.availability, [
      { topic: 'monitor/garage/status' },
      { topic: 'monitor/garage/linky_021861348497/availability' },
    ]);
    // "If set to all, payload_available must be received on all configured availability topics".
    assert.equal(p.availability_mode, 'all');
    assert.equal(p.payload_available, 'online');
    assert.equal(p.payload_not_available, 'offline');
    assert.equal('availability_topic' in p, false, '"Must not be used together with availability"');
    const gw = availabilityBlock(node, GATEWAY_DEVICE_ID);
    assert.deepEqual(gw.availability, [{ topic: 'monitor/garage/status' }]);
  });

  test('Energy dashboard: device_class energy, state_class total_increasing, unit_of_measurement kWh', () => {
    assert.equal(p.device_class, 'energy');
    assert.equal(p.state_class, 'total_increasing');
    assert.equal(p.unit_of_measurement, 'kWh');
  });

  test('state from the device JSON: state_topic <base>/<node>/<device>/state, value_template over value_json', () => {
    assert.equal(p.state_topic, 'monitor/garage/linky_021861348497/state');
    assert.equal(p.value_template, '{{ value_json.east }}');
    const odd = discoveryPayload(node, meter, sensor('x', 'X', { value_key: 'PAPP-1' }));
    assert.equal(
      odd.value_template,
      '{{ value_json["PAPP-1"] }}',
      'keys that are not identifiers are quoted',
    );
    const custom = discoveryPayload(
      node,
      meter,
      sensor('y', 'Y', { value_template: '{{ value_json.a * 2 }}' }),
    );
    assert.equal(custom.value_template, '{{ value_json.a * 2 }}');
  });

  test('binary_sensor template renders ON / OFF (payload_on/payload_off defaults) or None (unknown)', () => {
    const b = discoveryPayload(node, meter, binarySensor('door', 'Door', { device_class: 'door' }));
    assert.equal(
      b.value_template,
      '{% if value_json.door is none %}None{% elif value_json.door %}ON{% else %}OFF{% endif %}',
    );
    assert.equal(b.device_class, 'door');
    assert.equal('payload_on' in b, false, 'the HA defaults ON/OFF are relied upon');
  });

  test('attributes: json_attributes_topic + json_attributes_template over the device JSON', () => {
    const a = discoveryPayload(
      node,
      meter,
      diagnostic('status', 'Status', { attributes_key: 'status_attrs' }),
    );
    assert.equal(a.json_attributes_topic, 'monitor/garage/linky_021861348497/state');
    assert.equal(a.json_attributes_template, '{{ value_json.status_attrs | default({}, true) | tojson }}');
    assert.equal(a.entity_category, 'diagnostic');
  });

  test('button: "command_topic" <device>/<key>/set and no state_topic', () => {
    const b = discoveryPayload(
      node,
      meter,
      button('restart', 'Restart', () => {}, { device_class: 'restart' }),
    );
    assert.equal(b.command_topic, 'monitor/garage/linky_021861348497/restart/set');
    assert.equal('state_topic' in b, false);
    assert.equal(stateModeOf(button('r', 'R', () => {})), 'none');
  });

  test('notify: command_topic only', () => {
    const n = discoveryPayload(
      node,
      meter,
      notifyEntity('send', 'Send SMS', () => {}),
    );
    assert.equal(n.command_topic, 'monitor/garage/linky_021861348497/send/set');
    assert.equal('state_topic' in n, false);
  });

  test('event: "event_types: A list of valid event_type strings" and its own state_topic', () => {
    const e = discoveryPayload(
      node,
      meter,
      eventEntity('sms_received', 'SMS received', ['received', 'command']),
    );
    assert.deepEqual(e.event_types, ['received', 'command']);
    assert.equal(e.state_topic, 'monitor/garage/linky_021861348497/sms_received/event');
    assert.equal('value_template' in e, false);
  });

  test('has_entity_name naming: "name" is the entity part, null for the main feature of the device', () => {
    assert.equal(p.name, 'Energy');
    const main = discoveryPayload(node, meter, sensor('power', null, { unit: 'VA' }));
    assert.equal(main.name, null);
    assert.match(JSON.stringify(main), /"name":null/, 'null must be sent, not left out');
  });

  test('enabled_by_default only when false; icon, entity_category, suggested_display_precision as given', () => {
    assert.equal('enabled_by_default' in p, false);
    const d = discoveryPayload(
      node,
      meter,
      diagnostic('rssi', 'Signal', {
        enabled_by_default: false,
        icon: 'mdi:signal',
        suggested_display_precision: 0,
      }),
    );
    assert.equal(d.enabled_by_default, false);
    assert.equal(d.icon, 'mdi:signal');
    assert.equal(d.suggested_display_precision, 0);
  });

  test('component-specific fields (options of an enum sensor) are copied from extra', () => {
    const e = discoveryPayload(
      node,
      meter,
      sensor('tariff', 'Tariff', { device_class: 'enum', extra: { options: ['hp', 'hc'] } }),
    );
    assert.equal(e.device_class, 'enum');
    assert.deepEqual(e.options, ['hp', 'hc']);
  });

  test('pure: the same inputs give the same payload, whatever the key order of the inputs', () => {
    const shuffled: DeviceSpec = {
      serial_number: meter.serial_number,
      sw_version: '',
      model: 'Linky',
      manufacturer: 'Enedis',
      name: 'Linky',
      id: meter.id,
    } as DeviceSpec;
    assert.equal(stringify(discoveryPayload(node, shuffled, energy)), stringify(p));
    assert.deepEqual(discoveryPayload(node, meter, energy), p);
    // and nothing in the inputs was modified
    assert.equal(meter.sw_version, '');
  });
});
