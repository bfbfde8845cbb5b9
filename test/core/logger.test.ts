/** The logger: a level per namespace, lazy messages, secrets redacted wherever they appear. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { registerSecrets } from '../../addon/src/config/load.js';
import { LoggerRoot, type LogLevel, SecretRegistry } from '../../addon/src/core/logger.js';

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

  test('config secrets (password, token, API key, PIN) are redacted wherever they appear in a line', () => {
    const { root, text } = capture('debug');
    registerSecrets(config, root.secrets);
    const log = root.logger('t');
    log.info(`connecting with mqtt-Pa55word! to broker`);
    log.info(`url mqtt://monitor:mqtt-Pa55word!@host:1883`);
    log.debug(() => `HA auth {"type":"auth","access_token":"eyJhbGciOiJIUzI1NiJ9.longlivedtoken"}`);
    log.warn(`GET /api/printer X-Api-Key=OCTO-API-KEY-123 failed`, new Error('key OCTO-API-KEY-123 refused'));
    log.info(`alarm disarmed with 4821 by ana; backup pin 9135`);
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
    assert.match(out, /alarm disarmed with \*\*\* by ana/);
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
    s.add('abc');
    s.add('abcdef123');
    assert.equal(s.redact('x abcdef123 y abc'), 'x *** y ***');
  });

  test('values too short to redact safely are not registered; numbers are', () => {
    const s = new SecretRegistry();
    s.add('ab');
    s.add(123456);
    assert.equal(s.size, 1);
    assert.equal(s.redact('code 123456'), 'code ***');
  });
});
