import { css } from 'lit';

export const alarmStyles = css`
  ha-card {
    padding: 16px;
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  .head {
    display: flex;
    align-items: center;
    gap: 12px;
    cursor: pointer;
    border-radius: 12px;
    outline: none;
  }
  .head:focus-visible {
    outline: 2px solid var(--primary-color);
  }
  .shield {
    width: 48px;
    height: 48px;
    flex: none;
    border-radius: 50%;
    display: flex;
    align-items: center;
    justify-content: center;
    color: var(--alarm-color);
    background: color-mix(in srgb, var(--alarm-color) 18%, transparent);
    --mdc-icon-size: 28px;
  }
  .state-triggered .shield {
    animation: pulse 1s ease-in-out infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    .state-triggered .shield {
      animation: none;
    }
  }
  @keyframes pulse {
    50% {
      background: color-mix(in srgb, var(--alarm-color) 45%, transparent);
    }
  }
  .name {
    font-size: 14px;
    color: var(--secondary-text-color);
  }
  .state {
    font-size: 20px;
    font-weight: 500;
    color: var(--alarm-color);
  }
  .unavailable .state {
    color: var(--state-unavailable-color, var(--disabled-text-color));
  }
  .countdown {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-variant-numeric: tabular-nums;
  }
  .bar {
    height: 6px;
    border-radius: 3px;
    background: color-mix(in srgb, var(--alarm-color) 20%, transparent);
    overflow: hidden;
  }
  .bar > div {
    height: 100%;
    background: var(--alarm-color);
    transition: width 1s linear;
  }
  .last {
    font-size: 13px;
    color: var(--secondary-text-color);
  }
  .sensors {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    font-size: 13px;
  }
  .sensors .title {
    color: var(--secondary-text-color);
    width: 100%;
  }
  .chip {
    border: 1px solid var(--warning-color);
    background: color-mix(in srgb, var(--warning-color) 15%, transparent);
    color: var(--primary-text-color);
    border-radius: 12px;
    padding: 2px 10px;
    cursor: pointer;
    font-size: 13px;
  }
  .chip.unavailable {
    border-style: dashed;
    border-color: var(--state-unavailable-color, var(--disabled-text-color));
  }
  .code {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 8px;
  }
  /* An outlined field like HA's own text fields: a grey filled box reads as disabled. */
  .code input {
    font: inherit;
    font-size: 20px;
    letter-spacing: 4px;
    text-align: center;
    width: 100%;
    max-width: 240px;
    box-sizing: border-box;
    padding: 8px;
    border-radius: 8px;
    border: 1px solid var(--input-outlined-idle-border-color, var(--secondary-text-color));
    background: var(--card-background-color, transparent);
    color: var(--primary-text-color);
    caret-color: var(--primary-color);
  }
  .code input::placeholder {
    color: var(--secondary-text-color);
    letter-spacing: normal;
  }
  .code input:focus {
    outline: none;
    border: 2px solid var(--primary-color);
    padding: 7px;
  }
  .keypad {
    display: grid;
    grid-template-columns: repeat(3, 64px);
    gap: 8px;
    justify-content: center;
  }
  .keypad button {
    height: 48px;
    border-radius: 24px;
    border: 1px solid var(--divider-color);
    background: var(--card-background-color);
    color: var(--primary-text-color);
    font-size: 20px;
    cursor: pointer;
    display: flex;
    align-items: center;
    justify-content: center;
  }
  .keypad button:active {
    background: var(--secondary-background-color);
  }
  .keypad button.small {
    font-size: 13px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    justify-content: center;
  }
  .actions button {
    flex: 1 1 90px;
    max-width: 180px;
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    padding: 10px 12px;
    border-radius: 12px;
    border: none;
    cursor: pointer;
    font-size: 14px;
    font-weight: 500;
    color: var(--text-primary-color);
    background: var(--primary-color);
    --mdc-icon-size: 20px;
  }
  /* Disarm / Cancel is the main action while armed: never the grey of an inactive state. */
  .actions button.disarm {
    background: var(--primary-color);
  }
  .actions button:focus-visible,
  .keypad button:focus-visible {
    outline: 2px solid var(--primary-color);
    outline-offset: 2px;
  }
  .actions button.trigger {
    background: var(--error-color);
  }
  .actions button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  .message {
    font-size: 13px;
    color: var(--error-color);
    text-align: center;
  }
`;
