/**
 * `config check` knows what the runtime knows (issue 12, point 3): each mistake a newcomer made
 * in the first hour passes the JSON Schema but fails or surprises at run time; the semantic
 * pass reports it as `path: problem`, with a "did you mean" where one exists, in both languages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { main } from '../../addon/src/cli/main.js';
import { ConfigError, loadConfigObject } from '../../addon/src/config/load.js';
import { checkConfig, relocatedKey } from '../../addon/src/config/semantic.js';
import { numberProblem } from '../../addon/src/modules/sms/check.js';
import { normalizeNumber } from '../../addon/src/modules/sms/phone.js';
import { tempConfig } from '../helpers/monitor-process.js';

function problems(config: unknown, lang: 'en' | 'fr' = 'en'): string[] {
  const r = checkConfig(config, lang);
  return r.ok ? [] : r.problems;
}

const sms = (extra: Record<string, unknown>) => ({ sms: { port: '/dev/ttyUSB0', ...extra } });
const keywords = (...list: unknown[]) => sms({ commands: { keywords: list } });

/** Each case: a config, the problem in English, the problem in French. */
const CASES: Array<[string, unknown, string, string]> = [
  [
    'an MQTT URL without a scheme',
    { mqtt: { url: '127.0.0.1:60435' } },
    'mqtt.url: "127.0.0.1:60435" has no scheme (mqtt://, mqtts://, ws://, wss://) (did you mean "mqtt://127.0.0.1:60435"?)',
    'mqtt.url: « 127.0.0.1:60435 » n’a pas de schéma (mqtt://, mqtts://, ws://, wss://) (vouliez-vous dire « mqtt://127.0.0.1:60435 » ?)',
  ],
  [
    'an MQTT URL with a scheme mqtt.js does not speak',
    { mqtt: { url: 'mqqt://broker:1883' } },
    'mqtt.url: scheme "mqqt" is not one of mqtt://, mqtts://, ws://, wss:// (did you mean "mqtt://broker:1883"?)',
    'mqtt.url: le schéma « mqqt » n’est pas l’un de mqtt://, mqtts://, ws://, wss:// (vouliez-vous dire « mqtt://broker:1883 » ?)',
  ],
  [
    'a baud rate that is not a standard serial speed',
    sms({ baud: 11520 }),
    'sms.baud: 11520 is not a standard serial speed (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, or 0 to detect) (did you mean "115200"?)',
    'sms.baud: 11520 n’est pas une vitesse série standard (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, ou 0 pour la détecter) (vouliez-vous dire « 115200 » ?)',
  ],
  [
    'a recipient one digit short',
    sms({ default_recipients: ['06 12 34 56 7'] }),
    'sms.default_recipients[0]: "06 12 34 56 7" becomes +3361234567, which has 8 digits after +33 where 9 are expected',
    'sms.default_recipients[0]: « 06 12 34 56 7 » devient +3361234567, soit 8 chiffres après +33 au lieu de 9',
  ],
  [
    'a recipient that is a word',
    sms({ commands: { authorized_senders: ['hello'] } }),
    'sms.commands.authorized_senders[0]: "hello" is not a phone number',
    'sms.commands.authorized_senders[0]: « hello » n’est pas un numéro de téléphone',
  ],
  [
    'a recipient with an extension, which an SMS cannot reach',
    sms({ default_recipients: ['06 12 34 56 78 ext. 12'] }),
    'sms.default_recipients[0]: "06 12 34 56 78 ext. 12" has an extension (12) an SMS cannot reach: write +33612345678',
    'sms.default_recipients[0]: « 06 12 34 56 78 ext. 12 » a un poste (12) qu’un SMS ne peut pas joindre : écrivez +33612345678',
  ],
  [
    'a recipient of the right length whose digits no French number starts with',
    sms({ default_recipients: ['+33 4 00 00 00 00'] }),
    'sms.default_recipients[0]: "+33 4 00 00 00 00" is not a valid number (country: France, FR)',
    'sms.default_recipients[0]: « +33 4 00 00 00 00 » n’est pas un numéro valide (pays : France, FR)',
  ],
  [
    'an unknown default country',
    sms({ default_country: 'FRA' }),
    'sms.default_country: unknown country "FRA" (an ISO 3166-1 alpha-2 code such as FR, BE, CH) (did you mean "FR"?)',
    'sms.default_country: pays inconnu « FRA » (un code ISO 3166-1 alpha-2 comme FR, BE, CH) (vouliez-vous dire « FR » ?)',
  ],
  [
    'a keyword with both action and service',
    keywords({ keyword: 'Alon', action: 'alarm.arm_away', service: 'light.turn_on' }),
    'sms.commands.keywords[0]: both "action" and "service": give only one',
    'sms.commands.keywords[0]: « action » et « service » à la fois : n’en donnez qu’un',
  ],
  [
    'two keywords equal once case is folded',
    keywords({ keyword: 'Alon', action: 'alarm.arm_away' }, { keyword: 'alon', action: 'alarm.arm_home' }),
    'sms.commands.keywords[1].keyword: "alon" is the same keyword as keywords[0] "Alon" (case and accents are ignored)',
    'sms.commands.keywords[1].keyword: « alon » est le même mot-clé que keywords[0] « Alon » (casse et accents ignorés)',
  ],
  [
    'a service without its domain',
    keywords({ keyword: 'Lumiere', service: 'lights_on' }),
    'sms.commands.keywords[0].service: "lights_on" is not domain.service (did you mean "light.turn_on"?)',
    'sms.commands.keywords[0].service: « lights_on » n’est pas de la forme domaine.service (vouliez-vous dire « light.turn_on » ?)',
  ],
  [
    'two printers whose names give one device id',
    {
      printers: {
        list: [
          { name: 'Prusa', url: 'http://a.lan' },
          { name: 'prusa', url: 'http://b.lan' },
        ],
      },
    },
    'printers.list[1].name: "prusa" gives the same device id (printer_prusa) as printers.list[0] "Prusa": rename one',
    'printers.list[1].name: « prusa » donne le même identifiant d’appareil (printer_prusa) que printers.list[0] « Prusa » : renommez-en un',
  ],
  [
    'a key one level too high',
    { linky: { port: '/dev/ttyUSB1' } },
    'linky: unknown key "port" (did you mean "linky.meters[].port"?)',
    'linky: clé inconnue « port » (vouliez-vous dire « linky.meters[].port » ?)',
  ],
  [
    'a key one level too low',
    { sms: { port: '/dev/ttyUSB0', commands: { default_recipients: [] } } },
    'sms.commands: unknown key "default_recipients" (did you mean "sms.default_recipients"?)',
    'sms.commands: clé inconnue « default_recipients » (vouliez-vous dire « sms.default_recipients » ?)',
  ],
];

describe('config check: what the runtime knows', () => {
  for (const [what, config, en, fr] of CASES) {
    test(`${what}: "path: problem" in English and French`, () => {
      assert.deepEqual(problems(config, 'en'), [en]);
      assert.deepEqual(problems(config, 'fr'), [fr]);
    });
  }

  test('valid values pass: standard bauds, 0, numbers in any format, dotted services', () => {
    for (const baud of [0, 9600, 115200])
      assert.deepEqual(problems({ ...sms({ baud }), mqtt: { url: 'mqtts://h:8883' } }), []);
    assert.deepEqual(
      problems(
        sms({
          default_recipients: ['06 12 34 56 78', '+32 470 12 34 56', '0033612345678'],
          commands: {
            authorized_senders: ['+33612345678'],
            keywords: [
              { keyword: 'Chauffage', service: 'climate.set_hvac_mode' },
              { keyword: 'Alon', action: 'alarm.arm_away' },
            ],
          },
        }),
      ),
      [],
    );
  });

  test('numbers are judged after the run-time normaliser, the same one the module uses', () => {
    for (const raw of ['06 12 34 56 78', '06.12.34.56.78', '+33 6 12 34 56 78', '0033612345678'])
      assert.equal(numberProblem(raw, 'FR'), undefined, raw);
    assert.equal(normalizeNumber('06 12 34 56 78'), '+33612345678');
    assert.equal(numberProblem('06 12 34 56 7', 'FR')?.key, 'bad_length');
  });

  test('numbers the old table refused or did not know pass: any country, +33 06…, (0), Swiss and Belgian mobiles', () => {
    const recipients = ['+33 06 12 34 56 78', '06 12 34 56 78', '+41 79 123 45 67', '+44 (0)7400 123456'];
    assert.deepEqual(problems(sms({ default_country: 'MA', default_recipients: recipients })), []);
    assert.deepEqual(problems(sms({ default_country: 'CH', default_recipients: ['079 123 45 67'] })), []);
    assert.deepEqual(problems(sms({ default_country: 'BE', default_recipients: ['0470 12 34 56'] })), []);
  });

  test('a key is looked for one level down and up, with [] for lists', () => {
    assert.equal(relocatedKey('linky', 'port'), 'linky.meters[].port');
    assert.equal(relocatedKey('mqtt', 'node_id'), 'node_id');
    assert.equal(relocatedKey('printers.list[0]', 'list'), 'printers.list');
    assert.equal(relocatedKey('mqtt', 'nothing_like_it'), undefined);
  });

  test('the run refuses what the check refuses (one pass, at load)', () => {
    assert.throws(
      () => loadConfigObject({ mqtt: { url: '127.0.0.1:60435' } }, {}),
      (e: unknown) => e instanceof ConfigError && e.problems[0]?.startsWith('mqtt.url: ') === true,
    );
  });

  test('monitor config check prints every problem and exits 1', async () => {
    const cfg = tempConfig(
      JSON.stringify({ sms: { port: '/dev/ttyUSB0', baud: 11520 }, mqtt: { url: 'localhost:1883' } }),
      'monitor.json',
    );
    const err: string[] = [];
    const out: string[] = [];
    const code = await main(['config', 'check', cfg.file], {
      stdout: (l) => out.push(l),
      stderr: (l) => err.push(l),
      env: { LANG: 'en_US.UTF-8' },
    });
    cfg.cleanup();
    assert.equal(code, 1);
    assert.equal(err.length, 2);
    assert.match(err[0] as string, /^mqtt\.url: .*did you mean "mqtt:\/\/localhost:1883"/);
    assert.match(err[1] as string, /^sms\.baud: /);
  });
});
