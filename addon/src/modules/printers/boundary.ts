/**
 * The boundary every printer payload crosses. A printer is a peer on the LAN: it may send valid
 * JSON with a field of a type no parser expects. Parsers check types as they go, and this
 * wrapper makes sure that whatever they missed never throws past them (an exception there
 * would stop the printer's polling, or, from a socket callback, the whole service): a surprise
 * becomes the parser's "nothing usable" answer.
 */
export function safeParser<A extends unknown[], R>(
  parse: (...args: A) => R,
  nothing: (...args: A) => R,
): (...args: A) => R {
  return (...args: A) => {
    try {
      return parse(...args);
    } catch {
      return nothing(...args);
    }
  };
}

/** `table[key]` for an own key only: "constructor" or "__proto__" from a printer is no entry. */
export function ownEntry<T>(table: Record<string, T>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}
