/** The PDU codec: pure functions, typed results. See decode.ts for why it is our own. */
export {
  decodeAddress,
  decodeSmsc,
  encodeAddress,
  encodeAlphanumericAddress,
  encodeSmsc,
} from './address.js';
export { bytesToHex, type Decoded, decodePdu, decodeTpdu, hexToBytes, parseDcs } from './decode.js';
export {
  type EncodedPart,
  type EncodedSubmit,
  encodeSubmit,
  relativeValidity,
  type SubmitOptions,
} from './encode.js';
export { isGsm7, packSeptets, septetsToText, textToSeptets, unpackSeptets } from './gsm7.js';
export { LIMITS, splitText } from './split.js';
export { deliveryOf, statusMeaning } from './status.js';
export { encodeTimestamp } from './timestamp.js';
export * from './types.js';
