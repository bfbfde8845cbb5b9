/**
 * Unsolicited result codes: which lines are URCs rather than a response to the pending
 * command, and which ones carry a second line (the PDU of +CMT and +CDS in PDU mode).
 */

/** Prefixes of lines that are always unsolicited. */
const ALWAYS_URC = [
  '+CMTI:',
  '+CMT:',
  '+CDS:',
  '+CDSI:',
  '+CBM:',
  'RING',
  '+CLIP:',
  '+CRING:',
  '^RSSI:',
  '^BOOT:',
  '^MODE:',
  '^SRVST:',
  '^SIMST:',
  '^DSFLOWRPT:',
  '^HCSQ:',
  '^RFSWITCH:',
  '^STIN:',
  'UNDER-VOLTAGE',
  'OVER-VOLTAGE',
  'NORMAL POWER DOWN',
  'RDY',
  'Call Ready',
  'SMS Ready',
  '+QIND:',
  '+QUSIM:',
  '+CUSD:',
  '+PACSP',
  '*PSUTTZ:',
  '+CTZV:',
  'DST:',
];

/** Lines that are URCs only when the pending command did not ask for them (+CREG? answers +CREG:). */
const URC_UNLESS_ASKED = ['+CREG:', '+CGREG:', '+CEREG:', '+CPIN:', '+CFUN:', '+CSQ:'];

export function urcName(line: string): string {
  const i = line.indexOf(':');
  return i > 0 ? line.slice(0, i) : line;
}

/** The "+XYZ" a command is about: `AT+CMGR=3` → "+CMGR"; `ATI` → "". */
export function commandName(cmd: string): string {
  const m = /^AT([+^*$][A-Z0-9]+)/i.exec(cmd);
  return m ? (m[1] as string).toUpperCase() : '';
}

export function isUrc(line: string, pendingCommand: string | undefined): boolean {
  if (ALWAYS_URC.some((p) => line.startsWith(p))) {
    // +CMT/+CDS with an AT+CMGR pending cannot happen; but "+CMTI" never answers a command.
    return true;
  }
  const asked = pendingCommand ? commandName(pendingCommand) : '';
  for (const p of URC_UNLESS_ASKED) {
    if (line.startsWith(p)) return !asked || !p.startsWith(`${asked}:`);
  }
  return pendingCommand === undefined;
}

/**
 * Call progress codes (V.250 §5.7.1): the final result of a dial or answer command, but
 * unsolicited at any other time — an incoming call abandoned while ringing ends with
 * NO CARRIER whatever command is pending.
 */
const CALL_RESULTS = new Set(['NO CARRIER', 'NO DIALTONE', 'BUSY', 'NO ANSWER']);

/** ATD…, ATA, ATO, ATH: the only commands a call progress code answers. */
export function isCallCommand(cmd: string): boolean {
  return /^AT[DAOH]/i.test(cmd);
}

/** A call progress code that is not the pending command's answer. */
export function isUnsolicitedCallResult(line: string, pendingCommand: string | undefined): boolean {
  return CALL_RESULTS.has(line) && !(pendingCommand && isCallCommand(pendingCommand));
}

/** URCs followed by a PDU line. */
export function urcHasBody(line: string): boolean {
  return line.startsWith('+CMT:') || line.startsWith('+CDS:') || line.startsWith('+CBM:');
}
