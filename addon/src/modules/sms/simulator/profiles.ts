/**
 * Modem profiles of the simulator. The answers quoted in test/sms/fixtures/transcripts/ were
 * checked against named public logs and manuals (each fixture names them, line by line); a
 * test replays every transcript against the profile. Fields marked "unverified" below are
 * plausible values for which no public source was found: they keep the simulator working but
 * prove nothing about the real modem.
 */

export interface SimProfile {
  id: 'sim800' | 'e1752' | 'quectel';
  /** Where the dialogue comes from (details per line in the transcript fixture). */
  source: string;
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  /** Lines sent after power-on / AT+CFUN=1,1. */
  boot: string[];
  cpmsTest: string;
  cnmiTest: string;
  /** <mode>,<mt>,<ds> at power-on and after ATZ. */
  cnmiDefault: [number, number, number];
  /** Memories, in the order the modem lists them; the first is used for storage. */
  storage: string;
  capacity: number;
  /** Unsolicited noise sent now and then while idle (Huawei ^RSSI floods, SIM800 voltage). */
  noise: string[];
  /** Reply of AT+CMGR on an empty slot: plain OK (SIM800, Quectel) or +CMS ERROR: 321. */
  emptyRead: 'ok' | 'cms321';
  /** Prompt of AT+CMGS exactly as the modem sends it. */
  prompt: string;
  /** +CDS in PDU mode with the SMSC prefix (SIM800) or without it. */
  cdsWithSmsc: boolean;
  /**
   * With <ds>=2 the Quectel EC25 stores a status report in its "SR" memory but announces it
   * as `+CDSI: "SM",<index>`; AT+CMGR on that SM slot answers a bare OK (asterisk-chan-quectel
   * pull request #75). The gateway avoids <ds>=2 for that reason; the simulator reproduces it.
   */
  cdsiWrongMemory: boolean;
  /** Answer of AT+COPS? */
  cops: string;
  operator: string;
  csq: string;
}

export const PROFILES: Record<SimProfile['id'], SimProfile> = {
  sim800: {
    id: 'sim800',
    source:
      'SIMCom "SIM800 Series_AT Command Manual_V1.09" (2015-08-03), summary of unsolicited result codes p. 352; SIM800L +CNMI=? and +CNMI? in faucamp/python-gsmmodem issue #60; "+CMGS: 57" in esphome/issues#4425',
    manufacturer: 'SIMCOM_Ltd', // unverified
    model: 'SIMCOM_SIM800L', // unverified
    revision: 'Revision:1418B04SIM800L24', // unverified
    imei: '865067021234567', // made up
    // RDY, Call Ready, SMS Ready: manual p. 352; +CFUN: 1 and +CPIN: READY after RDY: unverified order.
    boot: ['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready'],
    // Unverified: seen only as a comment in a public SIM800L sketch whose repository is unknown.
    cpmsTest:
      '+CPMS: ("SM","ME","SM_P","ME_P","MT"),("SM","ME","SM_P","ME_P","MT"),("SM","ME","SM_P","ME_P","MT")',
    // python-gsmmodem#60: <ds> is (0,1) on the SIM800L, so status reports come as +CDS.
    cnmiTest: '+CNMI: (0-3),(0-3),(0,2),(0,1),(0,1)',
    cnmiDefault: [2, 1, 0], // "+CNMI: 2,1,0,0,0" after ATZ (python-gsmmodem#60)
    storage: 'SM',
    capacity: 30, // unverified
    noise: ['UNDER-VOLTAGE WARNNING'],
    emptyRead: 'ok', // unverified
    prompt: '\r\n> ', // TS 27.005 §3.5.1 framing; not checked on a SIM800 log
    cdsWithSmsc: true, // unverified
    cdsiWrongMemory: false,
    cops: '+COPS: 0,0,"Orange F"', // illustrative
    operator: 'Orange F',
    csq: '+CSQ: 18,0', // illustrative
  },
  e1752: {
    id: 'e1752',
    source:
      'Huawei E1752 gammu-smsd logs in gammu/gammu issues #126 and #138 (raw frames: AT, AT+CPMS, ^RSSI, ^MODE, ^SRVST, ^BOOT, +CREG URCs) and the HuaweiE1752 descriptor of faucamp/python-gsmmodem test/fakemodems.py (+CGMI, +CGMM, +CGMR, +CPMS=?)',
    manufacturer: 'huawei',
    model: 'E1752',
    revision: '11.126.13.00.00',
    imei: '353142041234567', // made up (python-gsmmodem uses 111111111111111)
    boot: ['^BOOT:35323129,0,0,0,26', '^RSSI:7', '^MODE:5,4', '^SRVST:0'],
    cpmsTest: '+CPMS: ("ME","MT","SM","SR"),("ME","MT","SM","SR"),("ME","MT","SM","SR")',
    // Not the E1752's own answer (none published): the Huawei E3531 one from gammu/gammu#438.
    cnmiTest: '+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)',
    cnmiDefault: [0, 0, 0], // unverified
    storage: 'SM',
    capacity: 50, // "+CPMS: 0,50,0,50,0,50" in gammu#126
    noise: [
      '^RSSI:7',
      '^RSSI:12',
      '^MODE:5,4',
      '^SRVST:0',
      '^BOOT:35323129,0,0,0,26',
      '+CREG: 1, E006B, ABE0016',
    ],
    emptyRead: 'cms321', // unverified for this model (gammu logs show it for other modems)
    prompt: '\r\n> ', // TS 27.005 §3.5.1 framing; not checked on a Huawei log
    cdsWithSmsc: false, // unverified
    cdsiWrongMemory: false,
    cops: '+COPS: 0,0,"SFR",2', // illustrative
    operator: 'SFR',
    csq: '+CSQ: 14,99', // illustrative
  },
  quectel: {
    id: 'quectel',
    source:
      'Quectel EG25-G (EC25 family) dialogue in lupyuen/lupyuen.github.io src/lte2.md (power-on URCs, echo, +CREG?, +COPS?, AT+CMGS in PDU mode); EC25 +CNMI=? in gammu/gammu#468; EC25-E "+CDSI then empty +CMGR" in IchthysMaranatha/asterisk-chan-quectel pull request #75',
    manufacturer: 'Quectel', // unverified
    model: 'EC25', // unverified
    revision: 'EC25EFAR06A10M4G', // firmware named in asterisk-chan-quectel#75
    imei: '867962041234567', // made up
    boot: ['RDY', '+CFUN: 1', '+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE'],
    cpmsTest: '+CPMS: ("SM","ME","MT"),("SM","ME","MT"),("SM","ME","MT")', // unverified
    cnmiTest: '+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)',
    cnmiDefault: [0, 0, 0], // unverified
    storage: 'ME',
    capacity: 255, // unverified for the EC25 (255 seen in gammu#408 on a SIMCom SIM5320E)
    noise: ['+QIND: "csq",23,99'], // unverified
    emptyRead: 'ok',
    // Unverified: TS 27.005 frames the prompt with CR LF; this profile keeps a bare "> " so that
    // the engine's handling of a prompt with no line end before it stays exercised.
    prompt: '> ',
    cdsWithSmsc: true, // unverified
    cdsiWrongMemory: true,
    cops: '+COPS: 0,0,"SGP-M1",7',
    operator: 'SGP-M1',
    csq: '+CSQ: 23,99', // illustrative
  },
};
