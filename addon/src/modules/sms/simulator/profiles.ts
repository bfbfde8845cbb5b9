/**
 * Modem profiles of the simulator. Each reproduces, byte for byte, the answers and unsolicited
 * codes of a real modem as published (the transcripts in test/sms/fixtures/transcripts/ quote
 * the same lines and name the same sources; a test replays them against the simulator).
 */

export interface SimProfile {
  id: 'sim800' | 'e173' | 'quectel';
  /** Where the dialogue comes from. */
  source: string;
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  /** Lines sent after power-on / AT+CFUN=1,1. */
  boot: string[];
  cpmsTest: string;
  cnmiTest: string;
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
  operator: string;
  csq: string;
}

export const PROFILES: Record<SimProfile['id'], SimProfile> = {
  sim800: {
    id: 'sim800',
    source:
      'SIMCom "SIM800 Series AT Command Manual" V1.09 (example answers of +CPMS=?, +CNMI=?, +CMGS, power-on URCs) and the SIM800L log in esphome/issues#4425 (+CMTI, "+CMGS: 57")',
    manufacturer: 'SIMCOM_Ltd',
    model: 'SIMCOM_SIM800L',
    revision: 'Revision:1418B04SIM800L24',
    imei: '865067021234567',
    boot: ['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready'],
    cpmsTest:
      '+CPMS: ("SM","ME","SM_P","ME_P","MT"),("SM","ME","SM_P","ME_P","MT"),("SM","ME","SM_P","ME_P","MT")',
    cnmiTest: '+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)',
    storage: 'SM',
    capacity: 30,
    noise: ['UNDER-VOLTAGE WARNNING'],
    emptyRead: 'ok',
    prompt: '\r\n> ',
    cdsWithSmsc: true,
    operator: 'Orange F',
    csq: '+CSQ: 18,0',
  },
  e173: {
    id: 'e173',
    source:
      'Huawei E1752/E173 dialogues in gammu/gammu#126 and #138 (^RSSI, ^MODE, ^SRVST floods, "+CPMS: 0,50,0,50,0,50") and the Huawei HSPA USB stick AT command interface specification (^BOOT)',
    manufacturer: 'huawei',
    model: 'E173',
    revision: '11.126.85.00.209',
    imei: '353142041234567',
    boot: ['^BOOT:20358948,0,0,0,72', '^RSSI:14', '^MODE:5,4', '^SRVST:0'],
    cpmsTest: '+CPMS: ("ME","MT","SM","SR"),("ME","MT","SM","SR"),("ME","MT","SM","SR")',
    cnmiTest: '+CNMI: (0,1,2),(0,1,2,3),(0,2),(0,1,2),(0,1)',
    storage: 'SM',
    capacity: 50,
    noise: ['^RSSI:14', '^RSSI:10', '^MODE:5,4', '^SRVST:0', '^BOOT:20358948,0,0,0,72'],
    emptyRead: 'cms321',
    prompt: '\r\n> ',
    cdsWithSmsc: false,
    operator: 'SFR',
    csq: '+CSQ: 14,99',
  },
  quectel: {
    id: 'quectel',
    source:
      'Quectel "EC2x&EG2x&EM05 Series AT Commands Manual" (answers of +CPMS=?, +CNMI=?, RDY and +QIND power-on URCs) and the EC25 trace in IchthysMaranatha/asterisk-chan-quectel#75 ("+CMGS: 78" then +CDSI)',
    manufacturer: 'Quectel',
    model: 'EC25',
    revision: 'EC25EFAR06A10M4G',
    imei: '867962041234567',
    boot: ['RDY', '+CFUN: 1', '+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE'],
    cpmsTest: '+CPMS: ("SM","ME","MT"),("SM","ME","MT"),("SM","ME","MT")',
    cnmiTest: '+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)',
    storage: 'ME',
    capacity: 255,
    noise: ['+QIND: "csq",23,99'],
    emptyRead: 'ok',
    prompt: '> ',
    cdsWithSmsc: true,
    operator: 'Bouygues Telecom',
    csq: '+CSQ: 23,99',
  },
};
