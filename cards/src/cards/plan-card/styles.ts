import { css } from 'lit';

export const planStyles = css`
  :host {
    --marker-size: 36px;
  }
  .viewport {
    position: relative;
    overflow: hidden;
    width: 100%;
    touch-action: pan-x pan-y;
    user-select: none;
    -webkit-user-select: none;
  }
  .viewport.zoomed {
    touch-action: none;
    cursor: grab;
  }
  .stage {
    position: absolute;
    inset: 0;
    transform-origin: 0 0;
    --zoom: 1;
  }
  .plan,
  .plan > img,
  .plan > svg {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    display: block;
  }
  .plan > svg {
    color: var(--primary-text-color);
  }
  .placeholder {
    aspect-ratio: 16 / 9;
    display: flex;
    align-items: center;
    justify-content: center;
    color: var(--secondary-text-color);
  }
  .markers {
    position: absolute;
    inset: 0;
    pointer-events: none;
  }
  monitor-plan-marker {
    position: absolute;
    width: 0;
    height: 0;
    transform: scale(calc(1 / var(--zoom)));
    transform-origin: 0 0;
    pointer-events: auto;
    cursor: pointer;
    outline: none;
    color: var(--primary-text-color);
    /* A marker's change never relays out the others. */
    contain: layout style;
  }
  monitor-plan-marker .badge {
    position: absolute;
    box-sizing: border-box;
    left: calc(var(--marker-size) / -2);
    top: calc(var(--marker-size) / -2);
    width: var(--marker-size);
    height: var(--marker-size);
    border-radius: 50%;
    display: flex;
    align-items: center;
    justify-content: center;
    color: var(--marker-color);
    background: var(--card-background-color);
    border: 2px solid var(--marker-color);
    box-shadow: var(--ha-card-box-shadow, 0 1px 3px color-mix(in srgb, var(--primary-text-color) 30%, transparent));
    --mdc-icon-size: calc(var(--marker-size) * 0.58);
    transition: background-color 0.3s, border-color 0.3s, color 0.3s;
  }
  monitor-plan-marker .badge svg.icon {
    width: var(--mdc-icon-size);
    height: var(--mdc-icon-size);
  }
  monitor-plan-marker.kind-active .badge {
    background: color-mix(in srgb, var(--marker-color) 22%, var(--card-background-color));
  }
  monitor-plan-marker.kind-unavailable .badge,
  monitor-plan-marker.kind-missing .badge {
    border-style: dashed;
    opacity: 0.75;
  }
  monitor-plan-marker.kind-unavailable .badge::after,
  monitor-plan-marker.kind-missing .badge::after {
    content: '';
    position: absolute;
    width: 110%;
    height: 2px;
    background: var(--error-color);
    transform: rotate(-45deg);
  }
  monitor-plan-marker:focus-visible .badge {
    outline: 2px solid var(--primary-color);
    outline-offset: 2px;
  }
  monitor-plan-marker .texts {
    position: absolute;
    top: calc(var(--marker-size) / 2 + 2px);
    left: 0;
    transform: translateX(-50%);
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 1px;
    pointer-events: none;
  }
  monitor-plan-marker .value,
  monitor-plan-marker .label {
    font-size: 11px;
    line-height: 14px;
    white-space: nowrap;
    padding: 0 5px;
    border-radius: 7px;
    background: color-mix(in srgb, var(--card-background-color) 85%, transparent);
    color: var(--primary-text-color);
  }
  monitor-plan-marker .value {
    font-weight: 600;
  }
  monitor-plan-marker [hidden] {
    display: none;
  }
  .plan svg .monitor-room {
    cursor: pointer;
    transition: fill 0.3s, fill-opacity 0.3s;
  }
  .plan svg .monitor-auto.monitor-active,
  .plan svg .monitor-auto.monitor-active :is(path, rect, polygon, circle, ellipse) {
    fill: var(--state-active-color);
    fill-opacity: 0.35;
  }
  .plan svg .monitor-room.monitor-unavailable,
  .plan svg .monitor-room.monitor-unavailable :is(path, rect, polygon, circle, ellipse) {
    fill: var(--state-unavailable-color, var(--disabled-text-color));
    fill-opacity: 0.3;
    stroke-dasharray: 6 4;
  }
  .plan svg .monitor-room.monitor-has-fill,
  .plan svg .monitor-room.monitor-has-fill :is(path, rect, polygon, circle, ellipse) {
    fill: var(--room-fill);
    fill-opacity: 0.45;
  }
  .controls {
    position: absolute;
    right: 8px;
    bottom: 8px;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .controls button {
    width: 32px;
    height: 32px;
    padding: 4px;
    border-radius: 8px;
    border: 1px solid var(--divider-color);
    background: color-mix(in srgb, var(--card-background-color) 85%, transparent);
    color: var(--primary-text-color);
    cursor: pointer;
    --mdc-icon-size: 22px;
  }
  .controls button.reset {
    display: none;
  }
  .viewport.zoomed .controls button.reset {
    display: block;
  }
`;
