/**
 * Monitor's Lovelace cards, one ES module for HACS (`dist/monitor-cards.js`). Importing it
 * defines every element and lists the cards in HA's card picker.
 */
import './cards/plan-card/plan-card.js';
import './cards/plan-card/plan-card-editor.js';
import './cards/alarm-card/alarm-card.js';
import './cards/linky-card/linky-card.js';
import './cards/printer-card/printer-card.js';
import './cards/printer-card/printer-card-editor.js';
import { VERSION } from './shared/const.js';

console.info(
  `%c MONITOR-CARDS %c ${VERSION} `,
  'background:#03a9f4;color:#fff;font-weight:700',
  'font-weight:700',
);
