/**
 * `monitor sms decode`, `monitor sms encode`, `monitor modem probe`: one-shot tools a user runs
 * to read a PDU, prepare one, or see what a modem says. Output: JSON, one object per line.
 */
import { parseArgs } from 'node:util';
import { resolveLang } from '../../core/i18n.js';
import { defaultLogger } from '../../core/logger.js';
import { type Command, printJson, readAll } from '../types.js';

export const smsDecodeCmd: Command = {
  path: ['sms', 'decode'],
  usage: 'monitor sms decode [HEX…|-]',
  summary: {
    en: 'Decode PDUs (as after +CMGR/+CMGL, SMSC prefix included): one JSON line each.',
    fr: 'Décode des PDU (comme après +CMGR/+CMGL, préfixe SMSC compris) : une ligne JSON chacun.',
  },
  async run(args, io) {
    let inputs = args.filter((a) => a !== '-');
    if (args.length === 0 || args.includes('-')) {
      const text = (await readAll(io.stdin)).toString('utf8');
      inputs = [...inputs, ...text.split(/\s+/).filter(Boolean)];
    }
    let failed = false;
    const { decodePdu } = await import('../../modules/sms/pdu/index.js');
    for (const hex of inputs) {
      const r = decodePdu(hex, { smscPrefix: 'auto' });
      if (!r.ok) {
        failed = true;
        printJson(io, { error: r.error.message, code: r.error.code, input: hex });
        continue;
      }
      const d = r.value;
      printJson(io, {
        type: d.type,
        smsc: d.smsc,
        address: d.address,
        text: d.text,
        encoding: d.encoding,
        timestamp: d.timestamp,
        concat: d.concat ? { ref: d.concat.ref, total: d.concat.total, seq: d.concat.seq } : null,
        reference: d.reference,
        status: d.status,
        ...(d.statusText ? { status_text: d.statusText, discharge_time: d.dischargeTime } : {}),
        class: d.messageClass,
        ...(d.warnings.length ? { warnings: d.warnings } : {}),
      });
    }
    return failed ? 1 : 0;
  },
};

export const smsEncodeCmd: Command = {
  path: ['sms', 'encode'],
  usage: 'monitor sms encode --to NUM [--smsc NUM] [--unicode] [--status-report] [--flash] TEXT',
  summary: {
    en: 'Encode an SMS-SUBMIT: one PDU (hex, SMSC prefix included) per part, with its AT+CMGS length.',
    fr: 'Encode un SMS-SUBMIT : un PDU (hex, préfixe SMSC compris) par partie, avec sa longueur AT+CMGS.',
  },
  async run(args, io) {
    const fr = resolveLang(undefined, io.env) === 'fr';
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        smsc: { type: 'string' },
        unicode: { type: 'boolean' },
        'status-report': { type: 'boolean' },
        flash: { type: 'boolean' },
        ref: { type: 'string' },
      },
    });
    const text = positionals.join(' ');
    if (!values.to || !text) {
      io.stderr(fr ? `usage : ${smsEncodeCmd.usage}` : `usage: ${smsEncodeCmd.usage}`);
      return 2;
    }
    const { encodeSubmit } = await import('../../modules/sms/pdu/index.js');
    const r = encodeSubmit({
      to: values.to,
      text,
      smsc: values.smsc,
      unicode: values.unicode,
      statusReport: values['status-report'],
      flash: values.flash,
      concatRef: values.ref ? Number(values.ref) : Math.floor(Math.random() * 256),
    });
    if (!r.ok) {
      printJson(io, { error: r.error.message });
      return 1;
    }
    for (const p of r.value.parts)
      printJson(io, {
        pdu: p.hex,
        length: p.tpduLength,
        part: p.seq,
        parts: p.total,
        encoding: r.value.encoding,
      });
    return 0;
  },
};

export const modemProbeCmd: Command = {
  path: ['modem', 'probe'],
  usage: 'monitor modem probe --port DEV [--baud N] [--pin PIN]',
  summary: {
    en: 'Ask a modem what a user needs to debug it (model, IMEI, SIM, signal, network, SMSC, storage, CNMI).',
    fr: 'Interroge un modem pour le dépanner (modèle, IMEI, SIM, signal, réseau, SMSC, mémoire, CNMI).',
  },
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        baud: { type: 'string', default: '115200' },
        pin: { type: 'string' },
      },
    });
    if (!values.port) {
      io.stderr(`usage: ${modemProbeCmd.usage}`);
      return 2;
    }
    const [{ AtEngine }, { Modem }, { SerialPortTransport }] = await Promise.all([
      import('../../modules/sms/at/engine.js'),
      import('../../modules/sms/modem/modem.js'),
      import('../../modules/sms/serial/serialport.js'),
    ]);
    const t = new SerialPortTransport({ path: values.port, baud: Number(values.baud) });
    const log = defaultLogger('modem');
    try {
      await t.open();
    } catch (err) {
      printJson(io, {
        error: `cannot open ${values.port}: ${err instanceof Error ? err.message : String(err)}`,
      });
      return 1;
    }
    const engine = new AtEngine(t, { log, defaultTimeoutMs: 3000, onUrc: () => {} });
    const modem = new Modem(engine, log, { commandTimeoutMs: 3000, sendTimeoutMs: 60_000, pin: values.pin });
    try {
      const sim = await modem.simState().catch((e) => `error: ${e.message}`);
      const report = await modem.init();
      const st = await modem.status();
      printJson(io, {
        port: values.port,
        ...report.info,
        sim,
        signal_percent: st.signalPct,
        signal_dbm: st.signalDbm,
        registration: st.registration,
        operator: st.operator,
        smsc: report.smsc,
        storage: report.storage,
        storage_used: st.storageUsed,
        storage_total: st.storageTotal,
        cnmi_supported: report.cnmiSupported.replace(/^\+CNMI:\s*/, ''),
        cnmi_chosen: report.cnmi,
      });
      return 0;
    } catch (err) {
      printJson(io, { port: values.port, error: err instanceof Error ? err.message : String(err) });
      return 1;
    } finally {
      engine.close();
      await t.close();
    }
  },
};
