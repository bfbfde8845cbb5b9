import { css } from 'lit';

/**
 * Shared card styles: theme variables only. `ha-card` is styled here only when HA's own
 * element is not defined (preview page, tests), so inside HA the real card look applies.
 */
export const cardStyles = css`
  :host {
    display: block;
  }
  ha-card {
    height: 100%;
    box-sizing: border-box;
    overflow: hidden;
  }
  ha-card:not(:defined) {
    display: block;
    background: var(--ha-card-background, var(--card-background-color));
    color: var(--primary-text-color);
    border-radius: var(--ha-card-border-radius, 12px);
    border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--divider-color));
    box-shadow: var(--ha-card-box-shadow, none);
    font-family: var(--ha-card-header-font-family, var(--paper-font-body1_-_font-family, inherit));
  }
  .card-header {
    margin: 0;
    padding: 12px 16px 8px;
    font-size: var(--ha-card-header-font-size, 20px);
    font-weight: 400;
    color: var(--ha-card-header-color, var(--primary-text-color));
    line-height: 1.3;
  }
  .warning {
    margin: 8px 16px 12px;
    padding: 8px 12px;
    border-radius: 8px;
    color: var(--primary-text-color);
    background: color-mix(in srgb, var(--warning-color) 18%, transparent);
    border-left: 4px solid var(--warning-color);
    font-size: 14px;
  }
  svg.icon {
    width: var(--mdc-icon-size, 24px);
    height: var(--mdc-icon-size, 24px);
    fill: currentColor;
    display: block;
  }
  button {
    font: inherit;
  }
`;
