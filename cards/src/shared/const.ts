/** Every element this bundle defines starts with this prefix (`monitor-plan-card`, …). */
export const PREFIX = 'monitor';
export const VERSION = '0.1.0';

export function elementName(suffix: string): string {
  return `${PREFIX}-${suffix}`;
}
