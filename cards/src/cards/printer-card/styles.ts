import { css } from 'lit';

export const cardLayout = css`
  ha-card {
    padding-bottom: 8px;
  }
  .summary {
    padding: 8px 16px 0;
    font-size: 13px;
    color: var(--secondary-text-color);
  }
  .fleet {
    display: grid;
    gap: 8px;
    padding: 8px 12px 0;
  }
  .fleet.many {
    grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
  }
  .warning {
    margin: 12px 16px;
  }
`;

/** A row's own styles (shadow DOM; one constructed sheet shared by every row). */
export const rowStyles = css`
  :host {
    display: block;
    color: var(--primary-text-color);
  }
  article {
    border: 1px solid var(--divider-color);
    border-radius: 10px;
    overflow: hidden;
    height: 100%;
    box-sizing: border-box;
  }
  article.offline {
    border-style: dashed;
    color: var(--secondary-text-color);
  }
  article.offline .icon,
  article.offline .name {
    opacity: 0.6;
  }
  article.state-error {
    border-color: var(--error-color);
  }
  article.state-error .state,
  .problem {
    color: var(--error-color);
  }
  .snapshot {
    aspect-ratio: 16 / 9;
    background: var(--secondary-background-color, #0001);
  }
  .snapshot img {
    width: 100%;
    height: 100%;
    object-fit: cover;
    display: block;
  }
  .main {
    padding: 8px 10px;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .head {
    display: flex;
    gap: 10px;
    align-items: center;
  }
  .icon {
    width: 48px;
    height: 48px;
    display: flex;
    align-items: center;
    justify-content: center;
    color: var(--state-icon-color, var(--primary-color));
  }
  svg.icon {
    width: 24px;
    height: 24px;
    fill: currentColor;
  }
  .ring {
    position: relative;
    width: 48px;
    height: 48px;
    flex: none;
  }
  .ring svg {
    width: 48px;
    height: 48px;
    transform: rotate(-90deg);
  }
  .ring circle {
    fill: none;
    stroke-width: 5;
  }
  .ring .track {
    stroke: var(--divider-color);
  }
  .ring .done {
    stroke: var(--primary-color);
    stroke-linecap: round;
  }
  .state-paused .ring .done,
  .state-pausing .ring .done {
    stroke: var(--warning-color);
  }
  .ring span {
    position: absolute;
    inset: 0;
    display: flex;
    align-items: center;
    justify-content: center;
    font-size: 11px;
    font-variant-numeric: tabular-nums;
  }
  .titles {
    min-width: 0;
  }
  .name {
    all: unset;
    cursor: pointer;
    font-weight: 500;
    font-size: 15px;
  }
  .name:focus-visible,
  .cmd:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: 2px;
  }
  .state {
    font-size: 13px;
    color: var(--secondary-text-color);
  }
  .line {
    font-size: 13px;
    font-variant-numeric: tabular-nums;
  }
  .file {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .times,
  .temps {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
  }
  .ends {
    font-weight: 500;
  }
  .temp .label {
    color: var(--secondary-text-color);
  }
  .commands {
    display: flex;
    gap: 6px;
    margin-top: 4px;
  }
  .cmd {
    font: inherit;
    font-size: 13px;
    display: flex;
    align-items: center;
    gap: 4px;
    padding: 4px 10px;
    border-radius: 14px;
    border: 1px solid var(--primary-color);
    background: transparent;
    color: var(--primary-color);
    cursor: pointer;
  }
  .cmd.cancel {
    border-color: var(--error-color);
    color: var(--error-color);
  }
  .cmd svg.icon {
    width: 18px;
    height: 18px;
  }
`;
