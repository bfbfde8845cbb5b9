/**
 * Alarmo as Home Assistant shows it, on the fake HA websocket: the entity
 * `alarm_control_panel.alarmo` with Alarmo's attributes (arm_mode, open_sensors, changed_by),
 * and its services `alarmo.arm` (mode, code, force) and `alarmo.disarm` (code) as in Alarmo
 * 1.10.18's services.yaml. As the real one: a wrong code or an open sensor without `force`
 * does not raise from the service call; the panel stays as it was (Alarmo fires
 * `alarmo_failed_to_arm` / an invalid-code event instead).
 */
import type { FakeHa } from '../helpers/fake-ha.js';

export const ALARMO = 'alarm_control_panel.alarmo';

export class FakeAlarmo {
  readonly calls: Array<{ service: string; data: Record<string, unknown> }> = [];
  open: Record<string, string> = {};
  private state = 'disarmed';
  private mode: string | null = null;

  constructor(
    private readonly ha: FakeHa,
    private readonly code: string,
    private readonly exitDelayMs = 200,
  ) {
    ha.onCommand('call_service', (msg) => this.call(msg));
    this.publish();
  }

  /** Sensors Alarmo sees open (it publishes them in its attributes). */
  setOpen(open: Record<string, string>): void {
    this.open = open;
    this.publish();
  }

  private publish(): void {
    this.ha.setState(ALARMO, this.state, {
      arm_mode: this.mode,
      open_sensors: Object.keys(this.open).length ? { ...this.open } : null,
      changed_by: null,
      code_format: 'number',
      supported_features: 63,
    });
  }

  private call(msg: Record<string, unknown>): unknown {
    const data = { ...((msg.service_data as Record<string, unknown>) ?? {}) };
    this.ha.serviceCalls.push({
      domain: String(msg.domain),
      service: String(msg.service),
      service_data: data,
      target: undefined,
    });
    if (msg.domain !== 'alarmo') return { context: {}, response: null };
    this.calls.push({ service: String(msg.service), data });
    if (data.entity_id !== ALARMO) throw { code: 'service_validation_error', message: 'Invalid entity' };
    if (String(data.code ?? '') !== this.code) return { context: {}, response: null };
    if (msg.service === 'arm') {
      if (Object.keys(this.open).length && data.force !== true) return { context: {}, response: null };
      this.mode = String(data.mode);
      this.state = 'arming';
      this.publish();
      setTimeout(() => {
        if (this.state !== 'arming') return;
        this.state = `armed_${this.mode}`;
        this.publish();
      }, this.exitDelayMs);
    } else if (msg.service === 'disarm') {
      this.state = 'disarmed';
      this.mode = null;
      this.publish();
    }
    return { context: {}, response: null };
  }
}
