/** Every element this bundle defines starts with this prefix (`monitor-plan-card`, …). */
export const PREFIX = 'monitor';
export const VERSION = '0.1.0';

export function elementName(suffix: string): string {
  return `${PREFIX}-${suffix}`;
}

/** The cards' documentation, linked from HA's card picker (anchors of docs/cards.md). */
export function docsUrl(anchor: string): string {
  return `https://github.com/monitor-ha/monitor/blob/main/docs/cards.md#${anchor}`;
}
