/** The printer device declaration (pure): entities per source, heater names, both languages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translator } from '../../addon/src/core/i18n.js';
import { discoveryPayload, type NodeContext } from '../../addon/src/entities/discovery.js';
import {
  deviceIdOf,
  type PrinterDeclaration,
  printerDevice,
  printerEntities,
} from '../../addon/src/modules/printers/entities.js';
import { printersDict } from '../../addon/src/modules/printers/i18n.js';

const node: NodeContext = {
  nodeId: 'n1',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'Monitor', sw_version: 'test' },
};

const decl = (over: Partial<PrinterDeclaration> = {}): PrinterDeclaration => ({
  id: 'printer_x',
  name: 'X',
  type: 'octoprint',
  url: 'http://x/',
  software: null,
  heaters: ['tool0', 'bed'],
  hasSnapshot: false,
  commands: true,
  ...over,
});

describe('printer entities', () => {
  it('has every user-facing string in French and English', () => {
    const en = Object.keys(printersDict.en).sort();
    const fr = Object.keys(printersDict.fr).sort();
    assert.deepEqual(fr, en);
    for (const k of en) assert.notEqual(printersDict.fr[k], '', k);
  });

  it('names heaters in both languages and numbers tools only when there are several', () => {
    const fr = translator(printersDict, 'fr');
    const en = translator(printersDict, 'en');
    const names = (t: typeof fr, heaters: string[]) =>
      printerEntities(decl({ heaters }), t, node, () => {})
        .filter((e) => e.key.endsWith('_temperature'))
        .map((e) => e.name);
    assert.deepEqual(names(en, ['tool0', 'bed', 'chamber']), [
      'Nozzle temperature',
      'Bed temperature',
      'Chamber temperature',
    ]);
    assert.deepEqual(names(fr, ['tool0', 'tool1']), ['Température buse 0', 'Température buse 1']);
  });

  it('offers buttons only with commands, the image only with a snapshot URL', () => {
    const t = translator(printersDict, 'en');
    const keys = (d: PrinterDeclaration) => printerEntities(d, t, node, () => {}).map((e) => e.key);
    assert.ok(keys(decl()).includes('pause'));
    assert.ok(!keys(decl({ commands: false })).includes('pause'));
    assert.ok(!keys(decl()).includes('snapshot'));
    assert.ok(keys(decl({ hasSnapshot: true })).includes('snapshot'));
  });

  it('routes a button press to the command handler', () => {
    const pressed: string[] = [];
    const t = translator(printersDict, 'en');
    const cancel = printerEntities(decl(), t, node, (c) => pressed.push(c)).find((e) => e.key === 'cancel');
    void cancel?.command?.('PRESS');
    assert.deepEqual(pressed, ['cancel']);
  });

  it('builds valid discovery payloads: image by URL, state available while the printer is off', () => {
    const t = translator(printersDict, 'en');
    const d = decl({ hasSnapshot: true, software: 'OctoPrint 1.11.8' });
    const device = printerDevice(d, t);
    assert.equal(device.sw_version, 'OctoPrint 1.11.8');
    assert.equal(device.configuration_url, 'http://x/');
    const byKey = Object.fromEntries(printerEntities(d, t, node, () => {}).map((e) => [e.key, e]));
    const image = discoveryPayload(node, device, byKey.snapshot as never);
    assert.equal(image.url_topic, 'monitor/n1/printer_x/state');
    assert.equal(image.state_topic, undefined);
    const state = discoveryPayload(node, device, byKey.state as never);
    assert.deepEqual(state.availability, [{ topic: 'monitor/n1/status' }]);
    const progress = discoveryPayload(node, device, byKey.progress as never);
    assert.equal((progress.availability as unknown[]).length, 2);
  });

  it('derives topic-safe device ids from names', () => {
    assert.equal(deviceIdOf('Prusa MK4 (atelier)'), 'printer_prusa_mk4_atelier');
    assert.equal(deviceIdOf('Imprimante été'), 'printer_imprimante_ete');
  });
});
