/** Dispatches a bubbling, composed event, the way HA's own elements talk to the frontend. */
export function fireEvent<T>(node: EventTarget, type: string, detail?: T): CustomEvent<T | undefined> {
  const event = new CustomEvent(type, { bubbles: true, composed: true, cancelable: false, detail });
  node.dispatchEvent(event);
  return event;
}
