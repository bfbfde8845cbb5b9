/**
 * `recorder/import_statistics` metadata per Home Assistant version (addon/src/ha/statistics.ts).
 * The current form was checked against a real HA 2026.11.0 in test/e2e/ha.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statisticMetadataFor, unitClassOf } from '../../addon/src/ha/statistics.js';

const legacy = {
  statistic_id: 'monitor:linky_energy',
  source: 'monitor',
  name: 'Linky',
  unit_of_measurement: 'kWh',
  has_sum: true,
  has_mean: false,
};

test('for HA 2025.11 and later, mean_type and unit_class replace has_mean', () => {
  assert.deepEqual(statisticMetadataFor(legacy, '2026.11.0'), {
    statistic_id: 'monitor:linky_energy',
    source: 'monitor',
    name: 'Linky',
    unit_of_measurement: 'kWh',
    has_sum: true,
    mean_type: 0,
    unit_class: 'energy',
  });
  assert.equal(
    statisticMetadataFor({ ...legacy, has_mean: true, unit_of_measurement: 'W' }, '2025.11.1').mean_type,
    1,
  );
  assert.equal(
    statisticMetadataFor({ ...legacy, unit_of_measurement: 'W' }, '2025.11.1').unit_class,
    'power',
  );
});

test('an unknown version gets the current form; given fields are kept as they are', () => {
  const m = statisticMetadataFor({ ...legacy, mean_type: 2, unit_class: null }, undefined);
  assert.equal(m.mean_type, 2);
  assert.equal(m.unit_class, null);
  assert.equal('has_mean' in m, false);
});

test('older versions get has_mean and none of the keys their strict schema would refuse', () => {
  const m = statisticMetadataFor({ ...legacy, mean_type: 1 }, '2025.10.4');
  assert.equal(m.has_mean, true);
  assert.equal('mean_type' in m, false);
  assert.equal('unit_class' in m, false);
  assert.equal(statisticMetadataFor(legacy, '2024.3.3').has_mean, false);
});

test('unit classes follow Home Assistant unit converters; unknown units have none', () => {
  assert.equal(unitClassOf('kWh'), 'energy');
  assert.equal(unitClassOf('VA'), 'apparent_power');
  assert.equal(unitClassOf('°C'), 'temperature');
  assert.equal(unitClassOf('€'), null);
  assert.equal(unitClassOf(null), null);
});
