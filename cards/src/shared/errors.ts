/**
 * What a failed service call says to the user. HA rejects `callService` with its websocket
 * error object (`{code, message, translation_key?, translation_domain?}`), not an `Error`;
 * a refused alarm code arrives as `translation_key: "invalid_code"` or, from integrations
 * without translations, as the raw text `Validation error: invalid_code`. Known causes get a
 * sentence in the user's language; anything else keeps HA's message without its prefix.
 */
import { type Lang, localize } from './i18n.js';

interface HaError {
  code?: unknown;
  message?: unknown;
  translation_key?: unknown;
}

const WRONG_CODE =
  /\binvalid[_ ](?:alarm[_ ])?code\b|\bwrong[_ ]code\b|\bcode (?:is )?(?:invalid|incorrect)\b/i;

function parts(err: unknown): { message: string; key: string; code: string } {
  if (err instanceof Error) return { message: err.message, key: '', code: '' };
  if (typeof err === 'object' && err !== null) {
    const e = err as HaError;
    return {
      message: typeof e.message === 'string' ? e.message : '',
      key: typeof e.translation_key === 'string' ? e.translation_key : '',
      code: typeof e.code === 'string' ? e.code : '',
    };
  }
  return { message: String(err ?? ''), key: '', code: '' };
}

export function serviceErrorText(err: unknown, lang: Lang): string {
  const { message, key, code } = parts(err);
  if (key === 'invalid_code' || WRONG_CODE.test(message)) return localize(lang, 'error.wrong_code');
  if (code === 'unauthorized') return localize(lang, 'error.unauthorized');
  const text = message.replace(/^(?:validation error|error|failed to (?:call|perform)[^:]*):\s*/i, '').trim();
  if (text === '') return localize(lang, 'error.unknown');
  return localize(lang, 'alarm.service_failed', { error: text });
}
