/**
 * Entity conventions (issue 12, point 4): one test over every entity of every module, in
 * English and French, through the pure `conventionProblems`. Declarations are built without
 * hardware from each module's own builders: the gateway, the SMS modem as each simulated
 * modem profile identifies itself (AT+CGMI/CGMM/CGMR, sms/simulator/profiles.ts), the Linky
 * meter of every TIC fixture (test/linky/fixtures, real captures), and a printer of each type.
 * A module built later (the alarm) adds its declarations to `ALL` in one line.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { type Lang, translator } from '../../addon/src/core/i18n.js';
import { conventionProblems } from '../../addon/src/entities/conventions.js';
import { discoveryPayload, type NodeContext } from '../../addon/src/entities/discovery.js';
import type { DeviceDeclaration } from '../../addon/src/entities/model.js';
import { gatewayDeclaration } from '../../addon/src/gateway/gateway.js';
import { progressDeclaration } from '../../addon/src/modules/linky/enedis/progress.js';
import { declaration as linkyDeclaration, shapeOf } from '../../addon/src/modules/linky/entities.js';
import { LINKY_STRINGS } from '../../addon/src/modules/linky/i18n.js';
import { decodeAll } from '../../addon/src/modules/linky/tic/decoder.js';
import { deriveValues } from '../../addon/src/modules/linky/tic/derive.js';
import { deviceIdOf, printerDevice, printerEntities } from '../../addon/src/modules/printers/entities.js';
import { printersDict } from '../../addon/src/modules/printers/i18n.js';
import { modemIdentity, smsDeclaration } from '../../addon/src/modules/sms/entities.js';
import { dict as smsDict } from '../../addon/src/modules/sms/i18n.js';
import { PROFILES } from '../../addon/src/modules/sms/simulator/profiles.js';
import { FIXTURES, ticBytes } from '../linky/load-fixture.js';

const node: NodeContext = {
  nodeId: 'maison',
  baseTopic: 'monitor',
  discoveryPrefix: 'homeassistant',
  origin: { name: 'Monitor', sw_version: '0.0.0' },
};
const noop = () => {};

function gateway(lang: Lang): DeviceDeclaration[] {
  return [gatewayDeclaration('maison', '1.2.3', ['sms', 'linky', 'printers', 'alarm'], lang)];
}

function sms(lang: Lang): DeviceDeclaration[] {
  const t = translator(smsDict, lang);
  return [undefined, ...Object.values(PROFILES)].map((p) =>
    smsDeclaration(
      t,
      p && { manufacturer: p.manufacturer, model: p.model, revision: p.revision, imei: p.imei },
      noop,
    ),
  );
}

function linky(lang: Lang): DeviceDeclaration[] {
  const t = translator(LINKY_STRINGS, lang);
  const meters = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.tic.txt'))
    .map((name) => {
      // The richest frame of the capture: the most entities.
      const frame = decodeAll(ticBytes(name)).frames.sort(
        (a, b) => Object.keys(b.values).length - Object.keys(a.values).length,
      )[0];
      assert.ok(frame, name);
      const id = frame.meter ?? '021861348497';
      return linkyDeclaration(shapeOf(id, frame, deriveValues(frame)), t, lang, '', {
        powerMinIntervalMs: 5000,
        powerDeadbandVa: 10,
      });
    });
  // The Enedis history import's own device.
  return [...meters, progressDeclaration('14405933300802', lang)];
}

function printers(lang: Lang): DeviceDeclaration[] {
  const t = translator(printersDict, lang);
  return (['octoprint', 'moonraker', 'prometheus'] as const).map((type) => {
    const d = {
      id: deviceIdOf(`Printer ${type}`),
      name: `Printer ${type}`,
      type,
      url: 'http://printer.lan',
      software: '1.11.2',
      heaters: ['tool0', 'tool1', 'bed', 'chamber'],
      hasSnapshot: true,
      commands: type !== 'prometheus',
    };
    return { device: printerDevice(d, t), entities: printerEntities(d, t, node, noop) };
  });
}

/** Every module's declarations; the alarm module adds `alarm` here. */
const ALL: Record<string, (lang: Lang) => DeviceDeclaration[]> = { gateway, sms, linky, printers };

describe('entity conventions, every entity of every module', () => {
  for (const [module, build] of Object.entries(ALL)) {
    test(`${module}: names, enums, precision, units, diagnostics, device info`, () => {
      assert.deepEqual(conventionProblems({ en: build('en'), fr: build('fr') }), []);
    });
  }

  test('the checker catches each thing a newcomer saw', () => {
    const bad: DeviceDeclaration = {
      device: {
        id: 'sms',
        name: 'SMS modem',
        manufacturer: 'SIMCOM_Ltd',
        model: 'SIMCOM_SIM800L',
        sw_version: 'Revision:1418B04',
      },
      entities: [
        { component: 'sensor', key: 'sent', name: 'SMS sent', state_class: 'total_increasing' },
        {
          component: 'sensor',
          key: 'registration',
          name: 'Registration',
          device_class: 'enum',
          extra: { options: ['registered_home'] },
        },
        {
          component: 'sensor',
          key: 'energy',
          name: 'Energy',
          device_class: 'energy',
          unit: 'Wh',
          suggested_display_precision: 0,
        },
        {
          component: 'sensor',
          key: 'checksum_errors',
          name: 'Checksum errors',
          unit: '%',
          entity_category: 'diagnostic',
          suggested_display_precision: 2,
        },
        { component: 'sensor', key: 'problem', name: 'Communication problem', entity_category: 'diagnostic' },
        {
          component: 'sensor',
          key: 'uptime',
          name: 'Uptime',
          device_class: 'duration',
          unit: 's',
          entity_category: 'diagnostic',
          suggested_display_precision: 0,
        },
      ],
    };
    const problems = conventionProblems({ en: [bad], fr: [bad] }).join('\n');
    for (const re of [
      /manufacturer "SIMCOM_Ltd" is a raw code/,
      /carries a company suffix/,
      /sw_version "Revision:1418B04" keeps its prefix/,
      /via_gateway is not said/,
      /"SMS sent" repeats "sms"/,
      /numeric sensor without suggested_display_precision/,
      /enum without state_labels/,
      /energy shown in Wh/,
      /a count in %/,
      /a problem is a binary_sensor/,
      /an uptime re-published every minute/,
      /name "Registration" is not translated/,
    ])
      assert.match(problems, re);
  });

  test('enum sensors show words and keep the code as an attribute', () => {
    const [decl] = sms('fr');
    const e = decl?.entities.find((x) => x.key === 'registration');
    assert.ok(decl && e);
    const p = discoveryPayload(node, decl.device, e);
    assert.ok((p.options as string[]).includes('Réseau domestique'), String(p.options));
    assert.match(String(p.value_template), /"registered_home":"Réseau domestique"/);
    assert.match(String(p.json_attributes_template), /code=value_json\.registration/);
  });
});

test('modem identity as a person writes it (AT+CGMI/CGMM/CGMR of the simulator profiles)', () => {
  assert.deepEqual(
    modemIdentity({
      manufacturer: 'SIMCOM_Ltd',
      model: 'SIMCOM_SIM800L',
      revision: 'Revision:1418B04SIM800L24',
      imei: '',
    }),
    { manufacturer: 'SIMCom', model: 'SIM800L', sw_version: '1418B04SIM800L24' },
  );
  assert.equal(
    modemIdentity({ manufacturer: 'huawei', model: 'E1752', revision: '11.126', imei: '' }).manufacturer,
    'Huawei',
  );
});
