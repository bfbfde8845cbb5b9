/**
 * Resolves once `pred()` holds, checked every `everyMs`; rejects naming `what` after `timeoutMs`.
 * For state that changes without an event to await (a connection flag, a counter).
 */
export async function pollUntil(
  pred: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
  everyMs = 10,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
