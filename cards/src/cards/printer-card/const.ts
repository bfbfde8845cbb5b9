import { elementName } from '../../shared/const.js';

export const PRINTER_CARD = elementName('printer-card');
export const PRINTER_CARD_EDITOR = elementName('printer-card-editor');
export const PRINTER_ROW = elementName('printer-row');

/**
 * Fields of a printer and the entity each reads. Keys are those of Monitor's printers module
 * (addon/src/modules/printers/entities.ts): entity id `<domain>.<node>_printer_<slug>_<key>`,
 * whatever its display name. Any other integration's entities can be mapped per field.
 */
export const PRINTER_FIELDS = {
  state: ['sensor', 'state'],
  online: ['binary_sensor', 'online'],
  progress: ['sensor', 'progress'],
  elapsed: ['sensor', 'elapsed'],
  remaining: ['sensor', 'remaining'],
  eta: ['sensor', 'eta'],
  file: ['sensor', 'file'],
  layer: ['sensor', 'layer'],
  layer_total: ['sensor', 'layer_total'],
  problem: ['binary_sensor', 'problem'],
  tool_temperature: ['sensor', 'tool0_temperature'],
  tool_target: ['sensor', 'tool0_target'],
  bed_temperature: ['sensor', 'bed_temperature'],
  bed_target: ['sensor', 'bed_target'],
  snapshot: ['image', 'snapshot'],
  pause: ['button', 'pause'],
  resume: ['button', 'resume'],
  cancel: ['button', 'cancel'],
} as const;
export type PrinterField = keyof typeof PRINTER_FIELDS;
export const PRINTER_FIELD_NAMES = Object.keys(PRINTER_FIELDS) as PrinterField[];

/** Printer states with a job loaded (Monitor's JOB_STATES and the transitions around them). */
export const JOB_STATES = ['printing', 'pausing', 'paused', 'resuming', 'cancelling', 'finishing'];
export const OFFLINE_STATES = ['offline', 'disconnected', 'unavailable'];
