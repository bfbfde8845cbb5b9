/**
 * External mode: Monitor's users, SMS and badges drive an alarm the user already has, through
 * Home Assistant. An Alarmo entity (recognised by its `arm_mode` attribute) gets `alarmo.arm`
 * / `alarmo.disarm` (mode, code, force); any other `alarm_control_panel` the standard
 * `alarm_arm_<mode>` / `alarm_disarm` services. Its state and open sensors come back from
 * HA's entity subscription.
 */
import type { HaClient } from '../../ha/websocket.js';
import type { ArmMode } from './engine.js';

export interface ExternalView {
  state: string;
  open: string[];
}

export function openSensorsOf(attributes: Record<string, unknown> | undefined): string[] {
  const o = attributes?.open_sensors;
  if (Array.isArray(o)) return o.map(String);
  if (o && typeof o === 'object') return Object.keys(o);
  return [];
}

export class ExternalAlarm {
  private attrs: Record<string, unknown> = {};
  private current = 'unknown';
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly ha: HaClient,
    readonly entityId: string,
    /** The external alarm's own code (Monitor has only hashes of its users' PINs). */
    private readonly code: string,
  ) {}

  /** Feeds the entity's latest HA state; true when it changed. */
  update(entity: { state: string; attributes: Record<string, unknown> } | undefined): boolean {
    const state = entity?.state ?? 'unavailable';
    const changed =
      state !== this.current || JSON.stringify(entity?.attributes ?? {}) !== JSON.stringify(this.attrs);
    this.current = state;
    this.attrs = entity?.attributes ?? {};
    if (changed) for (const w of [...this.waiters]) w();
    return changed;
  }

  /**
   * Resolves true once the state satisfies `pred`, false after `ms`. An alarm may accept the
   * service call and still not arm (Alarmo with an open sensor fires failed_to_arm and stays
   * disarmed), so the outcome is read back from the entity, not from the call.
   */
  until(pred: (state: string) => boolean, ms: number): Promise<boolean> {
    if (pred(this.current)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(t);
        this.waiters.delete(check);
        resolve(ok);
      };
      const check = () => {
        if (pred(this.current)) done(true);
      };
      const t = setTimeout(() => done(false), ms);
      this.waiters.add(check);
    });
  }

  get isAlarmo(): boolean {
    return 'arm_mode' in this.attrs;
  }

  view(): ExternalView {
    return { state: this.current, open: openSensorsOf(this.attrs) };
  }

  async arm(mode: ArmMode, force: boolean): Promise<void> {
    const code = this.code || undefined;
    if (this.isAlarmo) {
      await this.ha.callService('alarmo', 'arm', {
        entity_id: this.entityId,
        mode,
        force,
        ...(code ? { code } : {}),
      });
      return;
    }
    await this.ha.callService('alarm_control_panel', `alarm_arm_${mode}`, code ? { code } : {}, {
      entity_id: this.entityId,
    });
  }

  async disarm(): Promise<void> {
    const code = this.code || undefined;
    if (this.isAlarmo) {
      await this.ha.callService('alarmo', 'disarm', { entity_id: this.entityId, ...(code ? { code } : {}) });
      return;
    }
    await this.ha.callService('alarm_control_panel', 'alarm_disarm', code ? { code } : {}, {
      entity_id: this.entityId,
    });
  }
}
