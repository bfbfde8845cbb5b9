/**
 * The card tests' HA emulation (helpers/ha-mqtt.ts) against what HA does with Monitor's
 * discovery payloads: energies rendered in kWh from the Wh on their own topic, enums as words
 * with the code as an attribute, the printer's problem as on/off with its detail, entities
 * disabled by default absent, and any template shape it does not know refused. Captures:
 * test/linky/fixtures (sources in its README); Moonraker's documented example for printers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderValueTemplate } from './helpers/ha-mqtt.js';
import { meterStates } from './helpers/linky-states.js';
import { printerStates, statusOf } from './helpers/printer-states.js';

describe('HA states the card tests are fed', () => {
  it('Linky energies: the guard-accepted Wh, shown in kWh as the value_template renders them', () => {
    // Five frames of one meter, EAST 080490250 Wh and EASF01 041733418 Wh in each.
    const { states, prefix } = meterStates('standard-mono-hc-noisy.tic.txt');
    const total = states[`sensor.${prefix}_energy_total`]!;
    assert.equal(total.state, '80490.25');
    assert.equal(total.attributes.unit_of_measurement, 'kWh');
    assert.equal(states[`sensor.${prefix}_index_easf01`]!.state, '41733.418');
  });

  it('Linky: nothing is accepted before a second frame agrees (HA has unknown)', () => {
    const { states, prefix } = meterStates('standard-mono-hc-noisy.tic.txt', 0);
    assert.equal(states[`sensor.${prefix}_energy_total`]!.state, 'unknown');
    assert.equal(states[`sensor.${prefix}_index_easf01`]!.state, 'unknown');
  });

  it('Linky enums: words of the configured language, the code in `code`', () => {
    const { states, prefix } = meterStates('historic-tri-tempo.tic.txt', 0);
    const today = states[`sensor.${prefix}_tempo_today`]!;
    assert.equal(today.state, 'Red');
    assert.equal(today.attributes.code, 'red');
    const contract = states[`sensor.${prefix}_contract`]!;
    assert.deepEqual([contract.state, contract.attributes.code], ['Tempo', 'tempo']);
    // The meter's own label stays beside the code (attributes_key).
    assert.equal(typeof contract.attributes.meter_label, 'string');
  });

  it('Linky: a single-index meter has no total entity (disabled by default)', () => {
    const { states, prefix } = meterStates('historic-mono-base.tic.txt');
    assert.equal(states[`sensor.${prefix}_energy_total`], undefined);
    assert.ok(states[`sensor.${prefix}_index_base`]);
  });

  it('printer offline: problem on with its detail, state in words, device entities unavailable', () => {
    const { states, prefix } = printerStates('Mini', statusOf('offline'));
    const problem = states[`binary_sensor.${prefix}_problem`]!;
    assert.equal(problem.state, 'on');
    assert.equal(problem.attributes.detail, 'connect ECONNREFUSED 192.168.1.40:7125');
    const state = states[`sensor.${prefix}_state`]!;
    assert.deepEqual([state.state, state.attributes.code], ['Offline', 'offline']);
    assert.equal(states[`sensor.${prefix}_progress`]!.state, 'unavailable');
    const printing = printerStates('Voron', statusOf('printing'));
    assert.equal(printing.states[`binary_sensor.${printing.prefix}_problem`]!.state, 'off');
  });

  it('a template shape the emulation does not know is refused, not guessed', () => {
    assert.throws(() => renderValueTemplate('{{ value_json.a * 2 }}', '{}', { a: 1 }), /not emulated/);
  });
});
