import { css } from 'lit';

/** Theme variables only: the zones use HA's success / warning / error colours. */
export const linkyStyles = css`
  ha-card {
    padding-bottom: 12px;
  }
  ha-card.offline .top {
    opacity: 0.6;
  }
  .top {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    align-items: center;
    padding: 12px 16px 0;
  }
  .gauge {
    all: unset;
    cursor: pointer;
    position: relative;
    width: 180px;
    display: flex;
    flex-direction: column;
    align-items: center;
    color: var(--primary-text-color);
    border-radius: 12px;
  }
  .gauge:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: 2px;
  }
  .gauge svg {
    width: 100%;
    display: block;
  }
  .gauge path {
    fill: none;
    stroke-width: 9;
  }
  .zone {
    opacity: 0.28;
  }
  .zone.normal,
  .zone-normal .needle-arc {
    stroke: var(--success-color, #43a047);
  }
  .zone.warning,
  .zone-warning .needle-arc {
    stroke: var(--warning-color, #ffa600);
  }
  .zone.over,
  .zone-over .needle-arc {
    stroke: var(--error-color, #db4437);
  }
  .mark {
    stroke: var(--primary-text-color) !important;
    stroke-width: 1.5 !important;
  }
  .gauge .value {
    margin-top: -30px;
    font-size: 22px;
    font-weight: 500;
    font-variant-numeric: tabular-nums;
  }
  .gauge .of,
  .day-title,
  .history-title,
  .split,
  .phase .label {
    font-size: 12px;
    color: var(--secondary-text-color);
  }
  .power-only .value {
    font-size: 28px;
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    flex: 1;
    min-width: 140px;
  }
  .chip {
    border-radius: 14px;
    padding: 3px 10px;
    font-size: 13px;
    border: 1px solid var(--divider-color);
    color: var(--primary-text-color);
  }
  .chip.off_peak {
    border-color: var(--info-color, #039be5);
  }
  .chip.peak,
  .chip.mobile_peak {
    border-color: var(--warning-color);
  }
  .chip.tempo.blue {
    background: #1565c0;
    color: #fff;
    border-color: #1565c0;
  }
  .chip.tempo.white {
    background: #fafafa;
    color: #212121;
    border-color: #9e9e9e;
  }
  .chip.tempo.red {
    background: #c62828;
    color: #fff;
    border-color: #c62828;
  }
  .chip.overload {
    background: var(--error-color);
    color: var(--text-primary-color, #fff);
    border-color: var(--error-color);
  }
  .phases {
    display: grid;
    gap: 4px;
    padding: 8px 16px 0;
  }
  .phase {
    display: grid;
    grid-template-columns: 70px 1fr auto;
    gap: 8px;
    align-items: center;
    font-size: 13px;
    font-variant-numeric: tabular-nums;
  }
  .phase .bar {
    height: 8px;
    border-radius: 4px;
    background: var(--divider-color);
    overflow: hidden;
  }
  .phase .bar > span {
    display: block;
    height: 100%;
    background: var(--success-color, #43a047);
  }
  .phase .bar > span.warning {
    background: var(--warning-color);
  }
  .phase .bar > span.over {
    background: var(--error-color);
  }
  .days {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 12px;
    padding: 12px 16px 0;
  }
  .energy {
    font-size: 20px;
    font-weight: 500;
    font-variant-numeric: tabular-nums;
  }
  .cost {
    font-size: 14px;
  }
  .max {
    margin-top: 4px;
    font-size: 13px;
  }
  .max .flag {
    display: inline-block;
    margin-left: 4px;
    padding: 0 6px;
    border-radius: 8px;
    background: color-mix(in srgb, var(--success-color, #43a047) 20%, transparent);
  }
  .max.over .flag {
    background: var(--error-color);
    color: var(--text-primary-color, #fff);
  }
  .history {
    padding: 12px 16px 0;
  }
  .bars {
    display: flex;
    gap: 2px;
    height: 80px;
    align-items: stretch;
    margin-top: 4px;
  }
  .col {
    flex: 1;
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .col .bar {
    flex: 1;
    display: flex;
    align-items: flex-end;
  }
  .col .bar > div {
    width: 100%;
    border-radius: 3px 3px 0 0;
    background: var(--primary-color);
    min-height: 1px;
  }
  .col.is-today .bar > div {
    opacity: 0.55;
  }
  .tick {
    font-size: 10px;
    text-align: center;
    color: var(--secondary-text-color);
    overflow: hidden;
  }
  .warning {
    margin: 8px 16px 0;
  }
`;
