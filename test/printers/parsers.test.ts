/**
 * Pure parsers of the printers module against recorded and documented payloads
 * (test/printers/fixtures/README.md says where each comes from).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  emptyStatus,
  endOfJob,
  etaOf,
  jobEvent,
  type PrinterState,
  toValues,
} from '../../addon/src/modules/printers/model.js';
import {
  mergeObjects,
  objectsToWatch,
  resultOf,
  snapshotFromWebcams,
  statusFromObjects,
  thumbnailFromMetadata,
} from '../../addon/src/modules/printers/moonraker/parse.js';
import {
  octoState,
  parseJobResponse,
  parsePrinterResponse,
  parsePushState,
  resolveCameraUrl,
  snapshotFromSettings,
} from '../../addon/src/modules/printers/octoprint/parse.js';
import { parseMessage } from '../../addon/src/modules/printers/octoprint/push.js';
import { flavourOf, statusFromMetrics } from '../../addon/src/modules/printers/prometheus/map.js';
import { parsePrometheusText } from '../../addon/src/modules/printers/prometheus/parse.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const fixtureJson = (name: string) => JSON.parse(fixture(name)) as unknown;

describe('OctoPrint payloads', () => {
  const transcript = fixture('octoprint-1.11.8-push-transcript.jsonl')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t: number; msg: Record<string, unknown> });

  it('follows the recorded push transcript: idle → printing → pausing → paused → printing', () => {
    const states: string[] = [];
    let last: ReturnType<typeof parsePushState>;
    for (const { msg } of transcript) {
      const payload = msg.current ?? msg.history;
      if (!payload) continue;
      last = parsePushState(payload);
      assert.ok(last, 'every current/history frame parses');
      if (states[states.length - 1] !== last.state) states.push(last.state as string);
    }
    assert.deepEqual(states.slice(0, 5), ['idle', 'printing', 'pausing', 'paused', 'printing']);
  });

  it('reads job, progress and the latest temperature point of a `current` frame', () => {
    const frame = transcript.find((f) => {
      const c = f.msg.current as { state?: { text?: string } } | undefined;
      return c?.state?.text === 'Printing';
    });
    const s = parsePushState(frame?.msg.current);
    assert.equal(s?.file, 't.gcode');
    assert.equal(typeof s?.progress, 'number');
    assert.ok((s?.progress as number) > 0 && (s?.progress as number) < 100);
    assert.deepEqual(s?.tools, { tool0: { actual: 25.47, target: 200 } });
    assert.deepEqual(s?.bed, { actual: 60, target: 60 });
    assert.equal(s?.chamber, null, 'chamber {actual: null, target: null} means none');
  });

  it('reads /api/printer and /api/job as OctoPrint 1.11.8 serves them', () => {
    const p = parsePrinterResponse(fixtureJson('octoprint-1.11.8-api-printer.json'));
    assert.equal(p?.state, 'idle');
    assert.deepEqual(p?.tools, { tool0: { actual: 41.47, target: 0 } });
    const j = parseJobResponse(fixtureJson('octoprint-1.11.8-api-job-offline.json'));
    assert.equal(j?.state, 'disconnected');
    assert.equal(j?.file, null);
    assert.equal(j?.progress, null);
  });

  it('maps flags before text, and every known state text', () => {
    assert.equal(octoState('Printing', { printing: true, pausing: true }), 'pausing');
    assert.equal(octoState('Offline after error', { closedOrError: true, error: true }), 'error');
    assert.equal(octoState('Closed', { closedOrError: true }), 'disconnected');
    assert.equal(octoState('Opening serial connection', { closedOrError: true }), 'connecting');
    assert.equal(octoState('Detecting baudrate'), 'connecting');
    assert.equal(octoState('Starting print from SD'), 'printing');
    assert.equal(octoState('Cancelling'), 'cancelling');
    assert.equal(octoState(42), 'unknown');
  });

  it('never throws on garbage', () => {
    for (const junk of [null, 1, 'x', [], { state: 5 }, { state: { flags: 'no' } }]) {
      assert.doesNotThrow(() => {
        parsePushState(junk);
        parseJobResponse(junk);
        parsePrinterResponse(junk);
        snapshotFromSettings(junk, 'http://h/');
      });
    }
    assert.equal(parseMessage('{"current": '), undefined);
    assert.equal(parseMessage('[1,2]'), undefined);
    assert.deepEqual(parseMessage('{"a":1}'), { a: 1 });
  });

  it('resolves webcam URLs as seen from the printer host', () => {
    assert.equal(
      resolveCameraUrl('http://127.0.0.1:8080/?action=snapshot', 'http://octopi.lan/'),
      'http://octopi.lan:8080/?action=snapshot',
    );
    assert.equal(
      resolveCameraUrl('/webcam/?action=snapshot', 'http://octopi.lan/op/'),
      'http://octopi.lan/webcam/?action=snapshot',
    );
    assert.equal(resolveCameraUrl('javascript:alert(1)', 'http://octopi.lan/'), null);
    const settings = {
      webcam: {
        webcamEnabled: true,
        snapshotUrl: '',
        snapshotWebcam: 'classic',
        webcams: [{ name: 'classic', compat: { snapshot: 'http://localhost:8080/?action=snapshot' } }],
      },
    };
    assert.equal(snapshotFromSettings(settings, 'http://10.0.0.5/'), 'http://10.0.0.5:8080/?action=snapshot');
    assert.equal(
      snapshotFromSettings({ webcam: { ...settings.webcam, webcamEnabled: false } }, 'http://h/'),
      null,
    );
  });
});

describe('Prometheus text format', () => {
  it('parses samples, labels with escapes and special values, and reports bad lines', () => {
    const m = parsePrometheusText(
      [
        '# HELP a_total A counter',
        '# TYPE a_total counter',
        'a_total 3.0',
        'b{path="x \\"y\\"\\\\z",id="T0"} -1.5e+2 1700000000000',
        'c +Inf',
        'd NaN',
        'e{unterminated="x} 1',
        '{no_name="x"} 1',
        'f not_a_number',
        '',
      ].join('\n'),
    );
    assert.equal(m.types.a_total, 'counter');
    assert.deepEqual(m.samples[0], { name: 'a_total', labels: {}, value: 3 });
    assert.deepEqual(m.samples[1], { name: 'b', labels: { path: 'x "y"\\z', id: 'T0' }, value: -150 });
    assert.equal(m.samples[2]?.value, Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(m.samples[3]?.value));
    assert.deepEqual(
      m.invalid.map((i) => i.line),
      [7, 8, 9],
    );
  });

  it('maps the sbelectronics exporter', () => {
    const m = parsePrometheusText(fixture('exporter-sbelectronics.txt'));
    assert.equal(flavourOf(m), 'sbelectronics');
    const s = statusFromMetrics(m);
    assert.ok(typeof s === 'object');
    assert.equal(s.state, 'printing');
    assert.equal(s.progress, 37);
    assert.equal(s.file, 'xyz-cube.gcode');
    assert.deepEqual(s.tools, { tool0: { actual: 209.6, target: 210 } });
    assert.deepEqual(s.bed, { actual: 59.8, target: 60 });
  });

  it('maps the tg44 exporter (0.2+ names), two tools and a quoted path', () => {
    const m = parsePrometheusText(fixture('exporter-tg44.txt'));
    assert.equal(flavourOf(m), 'tg44');
    const s = statusFromMetrics(m);
    assert.ok(typeof s === 'object');
    assert.equal(s.state, 'paused');
    assert.equal(s.progress, 64);
    assert.equal(s.file, 'part "A".gcode');
    assert.equal(s.elapsed, 3600);
    assert.equal(s.remaining, 2025);
    assert.deepEqual(Object.keys(s.tools ?? {}), ['tool0', 'tool1']);
    assert.equal(s.software, 'OctoPrint 1.9.3 (tg44 exporter)');
  });

  it('tells what is not an exporter', () => {
    assert.equal(
      statusFromMetrics(parsePrometheusText('node_load1 0.5\n')),
      'not an OctoPrint exporter (unknown metric names)',
    );
    assert.equal(statusFromMetrics(parsePrometheusText('<html>nope</html>')), 'no metrics in the answer');
  });
});

describe('Moonraker payloads', () => {
  const query = resultOf(fixtureJson('moonraker-objects-query-printing.json')) as { status: unknown };

  it('reads the documented printer objects', () => {
    const s = statusFromObjects(mergeObjects({}, query.status));
    assert.equal(s.state, 'printing');
    assert.equal(s.progress, 25, 'display_status.progress wins over virtual_sdcard');
    assert.equal(s.file, 'calibration/benchy.gcode');
    assert.equal(s.layer, 60);
    assert.equal(s.layer_total, 240);
    assert.equal(s.elapsed, 1200);
    assert.equal(s.remaining, 3600, '1200 s for 25 % → 3600 s left');
    assert.deepEqual(s.tools, { tool0: { actual: 214.98, target: 215 } });
    assert.deepEqual(s.chamber, { actual: 31.2, target: null });
  });

  it('applies a notify_status_update diff (fields replace, info merges)', () => {
    const n = fixtureJson('moonraker-notify-status-update.json') as { params: unknown[] };
    const objs = mergeObjects(mergeObjects({}, query.status), n.params[0]);
    const s = statusFromObjects(objs);
    assert.equal(s.state, 'paused');
    assert.equal(s.layer, 61);
    assert.equal(s.layer_total, 240, 'total_layer kept');
    assert.equal(s.tools?.tool0?.actual, 214.5);
    assert.equal(s.tools?.tool0?.target, 215, 'target kept');
  });

  it('maps Klippy states and picks objects to watch', () => {
    assert.equal(
      statusFromObjects({ webhooks: { state: 'shutdown', state_message: 'MCU lost' } }).state,
      'error',
    );
    assert.equal(
      statusFromObjects({ webhooks: { state: 'shutdown', state_message: 'MCU lost' } }).error_message,
      'MCU lost',
    );
    assert.equal(statusFromObjects({ webhooks: { state: 'startup' } }).state, 'connecting');
    assert.equal(statusFromObjects({ print_stats: { state: 'complete' } }).state, 'idle');
    assert.deepEqual(
      Object.keys(
        objectsToWatch(['gcode', 'extruder', 'extruder1', 'heater_bed', 'heater_generic chamber', 'fan']),
      ),
      ['extruder', 'extruder1', 'heater_bed', 'heater_generic chamber'],
    );
  });

  it('finds the webcam snapshot and the largest thumbnail', () => {
    const cams = resultOf(fixtureJson('moonraker-webcams-list.json'));
    assert.equal(
      snapshotFromWebcams(cams, 'http://klipper.lan:7125/'),
      'http://klipper.lan:7125/webcam/?action=snapshot',
    );
    const meta = {
      thumbnails: [
        { width: 32, height: 32, relative_path: '.thumbs/a-32x32.png' },
        { width: 300, height: 300, relative_path: '.thumbs/a-300x300.png' },
      ],
    };
    assert.equal(
      thumbnailFromMetadata(meta, 'dir/a b.gcode', 'http://k:7125'),
      'http://k:7125/server/files/gcodes/dir/.thumbs/a-300x300.png',
    );
    assert.equal(thumbnailFromMetadata({}, 'a.gcode', 'http://k'), null);
  });
});

describe('printer model', () => {
  it('flattens a status into the device state', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    const v = toValues(
      {
        ...emptyStatus(),
        state: 'printing',
        online: true,
        progress: 12.345,
        elapsed: 100.4,
        remaining: 3599.6,
        tools: { tool1: { actual: 1, target: 2 }, tool0: { actual: 200.04, target: 210 } },
        bed: { actual: 60, target: 60 },
      },
      now,
    );
    assert.equal(v.printing, true);
    assert.equal(v.error, false);
    assert.equal(v.progress, 12.3);
    assert.equal(v.elapsed, 100);
    assert.equal(v.remaining, 3600);
    assert.equal(v.eta, '2025-01-01T13:00:00.000Z');
    assert.equal(v.tool0_temperature, 200);
    assert.equal(v.tool1_target, 2);
    assert.equal(v.bed_target, 60);
    assert.equal('chamber_temperature' in v, false);
  });

  it('has no ETA when paused or idle', () => {
    assert.equal(toValues({ ...emptyStatus(), state: 'paused', remaining: 10 }, 0).eta, null);
    assert.equal(toValues({ ...emptyStatus(), state: 'idle', remaining: 10 }, 0).eta, null);
    assert.equal(etaOf(null, 0), null);
  });

  it('derives job events from state transitions', () => {
    const st = (state: PrinterState, progress: number | null = null) => ({
      ...emptyStatus(),
      state,
      progress,
    });
    assert.equal(jobEvent(st('idle'), st('printing')), 'started');
    assert.equal(jobEvent(st('printing'), st('pausing')), undefined);
    assert.equal(jobEvent(st('pausing'), st('paused')), 'paused');
    assert.equal(jobEvent(st('printing'), st('paused')), 'paused');
    assert.equal(jobEvent(st('paused'), st('resuming')), 'resumed');
    assert.equal(jobEvent(st('resuming'), st('printing')), undefined);
    assert.equal(jobEvent(st('cancelling'), st('idle')), 'cancelled');
    assert.equal(jobEvent(st('printing'), st('idle', 96)), 'ended');
    assert.equal(jobEvent(st('printing'), st('error')), 'failed');
    assert.equal(jobEvent(st('unknown'), st('printing')), undefined, 'Monitor starting mid-print');
    assert.equal(jobEvent(st('offline'), st('printing')), undefined, 'printer back online');
    assert.equal(jobEvent(st('printing'), st('offline')), undefined);
    assert.equal(endOfJob(st('idle', 100)), 'done');
    assert.equal(endOfJob(st('idle', 42)), 'cancelled');
  });
});
