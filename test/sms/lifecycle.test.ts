/**
 * Modem lifecycle over a real pty (socat) and the real serialport binding: baud detection and
 * the AT+CFUN=1,1 last resort.
 *
 * Baud: a pty carries bytes whatever its rate, so the simulator models a modem fixed at one
 * rate (simulator/baud.ts): before each chunk it reads, through `stty -F` on the host's end,
 * the rate the kernel has for that tty — the one serialport really set with tcsetattr — and
 * while it is not the modem's rate it answers only high-bit noise and understands nothing.
 */
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { after, test } from 'node:test';
import { type LifecycleOptions, ModemLifecycle } from '../../addon/src/modules/sms/modem/lifecycle.js';
import type { Modem } from '../../addon/src/modules/sms/modem/modem.js';
import { SerialPortTransport } from '../../addon/src/modules/sms/serial/serialport.js';
import { quietLog, SimOnPty, ttySpeed, waitUntil } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const FAST: Omit<LifecycleOptions, 'path' | 'baud'> = {
  commandTimeoutMs: 300,
  sendTimeoutMs: 1000,
  watchdogMs: 300,
  reopenInitialMs: 100,
  reopenMaxMs: 400,
  resetAfterFailures: 2,
};

async function start(sim: SimOnPty, o: Partial<LifecycleOptions>) {
  const events: string[] = [];
  let modem: Modem | undefined;
  const lc = new ModemLifecycle(
    { ...FAST, path: sim.path, baud: 115200, ...o },
    (t) => new SerialPortTransport(t),
    {
      onReady: (m) => {
        modem = m;
        events.push('ready');
      },
      onDown: (reason) => events.push(`down: ${reason}`),
      onUrc: () => {},
    },
    quietLog,
  );
  cleanups.push(async () => {
    await lc.stop();
    await sim.dispose();
  });
  lc.start();
  return { lc, events, modem: () => modem as Modem };
}

test('baud 0: the rate is detected on a modem fixed at 57600 baud, and tried first after a replug', async () => {
  const sim = await new SimOnPty({ profile: 'quectel', modemBaud: 57600 }).start();
  const { lc, events } = await start(sim, { baud: 0 });
  await waitUntil(() => lc.state === 'ready', 10_000, 'ready after detection');
  assert.equal(lc.detectedBaud, 57600);
  // The kernel's rate for the host's tty is the modem's: serialport really switched it.
  assert.equal(await ttySpeed(sim.path), 57600);
  // 115200 then 9600 were tried first and got nothing the modem understood.
  assert.deepEqual([...new Set(sim.gate?.mismatches)], [115200, 9600]);
  assert.equal(sim.sim.commands[0], 'AT', 'the first command the modem understood is the probe');
  assert.ok(sim.sim.commands.includes('AT+CMGF=0'));

  const tried = sim.gate?.mismatches.length ?? 0;
  await sim.unplug();
  await waitUntil(() => events.some((e) => e.startsWith('down')), 5000, 'down on unplug');
  await sim.replug();
  await waitUntil(() => events.filter((e) => e === 'ready').length === 2, 10_000, 'ready after replug');
  // The pty was created again at its default rate: reopened at 57600 straight away.
  assert.equal(sim.gate?.mismatches.length, tried, 'no wrong rate tried after the replug');
});

test('a fixed baud that is not the modem rate never gets an answer (the model is effective)', async () => {
  const sim = await new SimOnPty({ profile: 'sim800', modemBaud: 9600 }).start();
  const { lc } = await start(sim, { baud: 115200 });
  await new Promise((r) => setTimeout(r, 2500));
  assert.notEqual(lc.state, 'ready');
  assert.equal(lc.counters.inits, 0);
  assert.deepEqual(sim.sim.commands, [], 'the modem understood nothing');
  assert.ok((sim.gate?.mismatches.length ?? 0) > 0, 'the host did talk, at the wrong rate');
  assert.equal(await ttySpeed(sim.path), 115200, 'a fixed rate is never changed');
  assert.match(lc.lastError ?? '', /does not answer AT/);
});

test('a modem that stays unresponsive after a re-init gets AT+CFUN=1,1 and recovers', async () => {
  const sim = await new SimOnPty({ profile: 'sim800' }).start();
  const { lc, events, modem } = await start(sim, {});
  await waitUntil(() => lc.state === 'ready', 5000, 'ready');
  // Wedged: AT, ATE and AT+CMEE still answer, SIM and SMS commands never do.
  sim.sim.wedged = true;
  await assert.rejects(modem().status());
  await assert.rejects(modem().status());
  // The watchdog restarts it; the re-init answers AT but hangs on AT+CPIN?: last resort.
  await waitUntil(() => sim.sim.commands.includes('AT+CFUN=1,1'), 10_000, 'AT+CFUN=1,1');
  await waitUntil(() => lc.state === 'ready' && events.at(-1) === 'ready', 10_000, 'ready after the reset');
  assert.equal(lc.counters.resets, 1);
  assert.ok(lc.counters.reinits >= 1, 'the watchdog re-initialised it first');
  const cfunAt = sim.sim.commands.indexOf('AT+CFUN=1,1');
  assert.ok(sim.sim.commands.slice(0, cfunAt).filter((c) => c === 'AT+CPIN?').length >= 2);
  assert.ok(events.some((e) => e.startsWith('down')));
  const st = await modem().status();
  assert.equal(st.registration, 'registered_home');
});

test('a modem that answers after a re-init is not reset', async () => {
  const sim = await new SimOnPty({ profile: 'e1752' }).start();
  const { lc } = await start(sim, {});
  await waitUntil(() => lc.state === 'ready', 5000, 'ready');
  sim.sim.muted = true;
  await waitUntil(() => lc.state !== 'ready', 5000, 'down while mute');
  sim.sim.muted = false;
  await waitUntil(() => lc.state === 'ready', 10_000, 'ready again');
  assert.equal(lc.counters.resets, 0);
  assert.ok(!sim.sim.commands.includes('AT+CFUN=1,1'));
});

/** File descriptors of this process open on the device behind `path` (socat's link). */
function openFdsOn(path: string): number {
  const dev = realpathSync(path);
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === dev) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

test('stopped while its port opens: the port is closed once the open completes', async () => {
  // Issue 9: stop() during `await transport.open()` found no transport to close yet, and the
  // open then completed: the port stayed open (and the init ran) after the module stopped.
  const sim = await new SimOnPty({ profile: 'sim800' }).start();
  cleanups.push(() => sim.dispose());
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const lc = new ModemLifecycle(
    { ...FAST, path: sim.path, baud: 115200 },
    (t) => {
      const real = new SerialPortTransport(t);
      // The device answers the open slowly (a USB stick enumerating): stop() comes meanwhile.
      const open = real.open.bind(real);
      real.open = async () => {
        await gate;
        await open();
      };
      return real;
    },
    { onReady: () => {}, onDown: () => {}, onUrc: () => {} },
    quietLog,
  );
  lc.start();
  await new Promise((r) => setTimeout(r, 100));
  const stopping = lc.stop();
  release();
  await stopping;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(openFdsOn(sim.path), 0, 'no descriptor left on the port');
  assert.equal(lc.state, 'down');
  assert.ok(!sim.sim.commands.includes('AT+CMGF=0'), 'no init after the stop');
});

test('a transport that cannot even be created: no unhandled rejection, down, retried', async () => {
  // Issue 9: a throw before the open's try (the factory: a missing in-memory line, a bad
  // option) escaped `void this.connect()` as an unhandled rejection, the state stuck at opening.
  const sim = await new SimOnPty({ profile: 'sim800' }).start();
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => unhandled.push(err);
  process.on('unhandledRejection', onUnhandled);
  let calls = 0;
  const events: string[] = [];
  const lc = new ModemLifecycle(
    { ...FAST, path: sim.path, baud: 115200 },
    (t) => {
      if (++calls === 1) throw new Error('no in-memory line memory:gone');
      return new SerialPortTransport(t);
    },
    {
      onReady: () => {
        events.push('ready');
      },
      onDown: (reason) => events.push(`down: ${reason}`),
      onUrc: () => {},
    },
    quietLog,
  );
  cleanups.push(async () => {
    process.off('unhandledRejection', onUnhandled);
    await lc.stop();
    await sim.dispose();
  });
  lc.start();
  await new Promise((r) => setTimeout(r, 50));
  assert.notEqual(lc.state, 'opening', 'not stuck in opening');
  assert.match(lc.lastError ?? '', /memory:gone/);
  await waitUntil(() => lc.state === 'ready', 5000, 'ready on the retry');
  assert.deepEqual(unhandled, []);
  assert.equal(events[0], 'down: no in-memory line memory:gone');
});
