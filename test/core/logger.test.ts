/** The logger: a level per namespace, lazy messages, secrets redacted wherever they appear. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { registerSecrets } from '../../addon/src/config/load.js';
import { LoggerRoot, type LogLevel, SecretRegistry, secret } from '../../addon/src/core/logger.js';

function capture(level: LogLevel = 'info', levels: Record<string, LogLevel> = {}) {
  const lines: Array<{ line: string; level: LogLevel }> = [];
  const root = new LoggerRoot({
    level,
    levels,
    timestamps: false,
    sink: { write: (line, l) => lines.push({ line, level: l }) },
  });
  return { root, lines, text: () => lines.map((l) => l.line).join('\n') };
}

describe('levels', () => {
  test('each namespace has its level; children inherit the closest parent; others the default', () => {
    const { root, lines } = capture('warn', { sms: 'debug', 'sms:modem': 'error', mqtt: 'silent' });
    root.logger('sms').debug('sms debug');
    root.logger('sms').child('pdu').debug('pdu debug (inherits sms)');
    root.logger('sms').child('modem').warn('modem warn (own level: error)');
    root.logger('sms').child('modem').error('modem error');
    root.logger('linky').info('linky info (default warn)');
    root.logger('linky').warn('linky warn');
    root.logger('mqtt').error('mqtt error (silent)');
    assert.deepEqual(
      lines.map((l) => l.line),
      [
        'DEBUG [sms] sms debug',
        'DEBUG [sms:pdu] pdu debug (inherits sms)',
        'ERROR [sms:modem] modem error',
        'WARN  [linky] linky warn',
      ],
    );
    assert.deepEqual(
      lines.map((l) => l.level),
      ['debug', 'debug', 'error', 'warn'],
    );
  });

  test('levels can change at run time (the app applies the config after creating the root)', () => {
    const { root, lines } = capture('error');
    const log = root.logger('x');
    log.info('before');
    root.level = 'info';
    log.info('after');
    assert.deepEqual(
      lines.map((l) => l.line),
      ['INFO  [x] after'],
    );
    assert.equal(log.enabled('debug'), false);
    assert.equal(log.enabled('info'), true);
  });

  test('timestamps are ISO 8601 when enabled', () => {
    const lines: string[] = [];
    new LoggerRoot({ sink: { write: (l) => lines.push(l) } }).logger('t').info('x');
    assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}\[t\] x$/);
  });
});

describe('lazy messages', () => {
  test('a function message is not evaluated when its level is disabled', () => {
    const { root, lines } = capture('info');
    let calls = 0;
    const expensive = () => {
      calls++;
      return 'computed';
    };
    root.logger('x').debug(expensive);
    assert.equal(calls, 0);
    root.logger('x').info(expensive);
    assert.equal(calls, 1);
    assert.equal(lines[0]?.line, 'INFO  [x] computed');
  });

  test('a lazy message that throws does not break the caller', () => {
    const { root, lines } = capture('info');
    assert.doesNotThrow(() =>
      root.logger('x').info(() => {
        throw new Error('oops');
      }),
    );
    assert.match(lines[0]?.line ?? '', /<log message failed: oops>/);
  });

  test('an error argument adds its message', () => {
    const { root, lines } = capture('info');
    root.logger('x').warn('send failed', new Error('timeout'));
    assert.equal(lines[0]?.line, 'WARN  [x] send failed: timeout');
  });
});

describe('secrets', () => {
  const config = {
    mqtt: { username: 'monitor', password: 'mqtt-Pa55word!' },
    homeassistant: { token: 'eyJhbGciOiJIUzI1NiJ9.longlivedtoken' },
    printers: { list: [{ name: 'mk4', api_key: 'OCTO-API-KEY-123' }] },
    alarm: { users: [{ name: 'ana', pin: '4821' }], pins: ['9135'] },
    linky: { enedis_token: 'enedis-secret-token' },
  };

  test('long config secrets (password, token, API key) are redacted wherever they appear in a line', () => {
    const { root, text } = capture('debug');
    registerSecrets(config, root.secrets);
    const log = root.logger('t');
    log.info(`connecting with mqtt-Pa55word! to broker`);
    log.info(`url mqtt://monitor:mqtt-Pa55word!@host:1883`);
    log.debug(() => `HA auth {"type":"auth","access_token":"eyJhbGciOiJIUzI1NiJ9.longlivedtoken"}`);
    log.warn(`GET /api/printer X-Api-Key=OCTO-API-KEY-123 failed`, new Error('key OCTO-API-KEY-123 refused'));
    log.info('alarm disarmed', undefined, { user: 'ana', pin: '4821' });
    log.info(`backup ${secret('9135')} used`);
    log.info(`enedis: token enedis-secret-token expired`);
    const out = text();
    for (const secret of [
      'mqtt-Pa55word!',
      'longlivedtoken',
      'OCTO-API-KEY-123',
      '4821',
      '9135',
      'enedis-secret-token',
    ])
      assert.equal(out.includes(secret), false, `${secret} leaked:\n${out}`);
    assert.match(out, /connecting with \*\*\* to broker/);
    assert.match(out, /alarm disarmed user=ana pin=\*\*\*/);
    assert.match(out, /backup \*\*\* used/);
  });

  test('secret-looking key=value pairs are redacted even when the value was never registered', () => {
    const s = new SecretRegistry();
    assert.equal(s.redact('password=hunter2 user=bob'), 'password=*** user=bob');
    assert.equal(s.redact('{"token":"abc def","x":1}'), '{"token":"***","x":1}');
    assert.equal(s.redact("api_key: 'k 1', pin: 1234"), "api_key: '***', pin: ***");
    assert.equal(s.redact('mqtt_password=xyz'), 'mqtt_password=***');
    assert.equal(s.redact('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer ***');
    assert.equal(s.redact('mqtts://user:pa55@broker:8883'), 'mqtts://user:***@broker:8883');
    // Words that merely contain a secret-looking key are left alone.
    assert.equal(s.redact('spin=3 shipping: 2'), 'spin=3 shipping: 2');
  });

  test('longest secret first, so that one containing another leaves nothing behind', () => {
    const s = new SecretRegistry();
    s.add('abcdefgh');
    s.add('abcdefgh123');
    assert.equal(s.redact('x abcdefgh123 y abcdefgh'), 'x *** y ***');
  });

  test('values shorter than 8 characters are not registered for the text pass; long numbers are', () => {
    const s = new SecretRegistry();
    s.add('ab');
    s.add('1234');
    s.add(123456789);
    assert.equal(s.size, 1);
    assert.equal(s.redact('code 123456789'), 'code ***');
  });

  test('finding 6: with PIN 1234, a phone number is logged whole and the PIN never appears', () => {
    const { root, text } = capture('debug');
    registerSecrets(
      { sms: { sim_pin: '1234', commands: { pin: '1234' } }, mqtt: { password: 'long-broker-password' } },
      root.secrets,
    );
    root.secrets.add('1234'); // what the sms module does at start: no effect on short values
    const log = root.logger('sms');
    log.info('SMS from +33612345678 to +33612341234');
    log.info('command received', undefined, { from: '+33612345678', command: 'Alon', pin: '1234' });
    log.info(() => `check ${secret('1234')} for +33612345678`);
    log.debug('config {"pin":"1234","port":"/dev/ttyUSB1234"}');
    log.debug('fields', undefined, { commands: { pin: '1234', authorized_senders: ['+33612345678'] } });
    const out = text();
    assert.match(out, /SMS from \+33612345678 to \+33612341234/);
    assert.match(out, /command received from=\+33612345678 command=Alon pin=\*\*\*/);
    assert.match(out, /check \*\*\* for \+33612345678/);
    assert.match(out, /\{"pin":"\*\*\*","port":"\/dev\/ttyUSB1234"\}/);
    assert.match(out, /commands=\{"pin":"\*\*\*","authorized_senders":\["\+33612345678"\]\}/);
    assert.doesNotMatch(out, /\*\*\*5678|\+336\*\*\*/);
    // The PIN is nowhere except inside the numbers and paths it happens to be part of.
    const data = ['+33612341234', '+33612345678', '/dev/ttyUSB1234'];
    assert.equal(data.reduce((t, d) => t.replaceAll(d, ''), out).includes('1234'), false, out);
  });
});
