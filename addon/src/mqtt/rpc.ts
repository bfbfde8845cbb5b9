/**
 * RPC over MQTT for the `monitor_bridge` integration (which uses Home Assistant's own MQTT
 * connection, possibly 3.1.1, so no MQTT 5 response-topic property is relied upon):
 *
 *   request  `<base>/<node_id>/rpc/<method>`         {"id": "…", "params": {…}}
 *   reply    `<base>/<node_id>/rpc/<method>/reply`   {"id": "…", "ok": true, "result": …}
 *                                                    {"id": "…", "ok": false, "error": {"code": n, "message": "…"}}
 *   notification `<base>/<node_id>/rpc/notify/<name>` {…}   (e.g. sms_received)
 *
 * Params are data: a handler receives a parsed JSON object and never evaluates it.
 */

import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { NodeContext } from '../entities/discovery.js';
import type { MqttTransport } from './connection.js';

export const RpcErrorCode = {
  PARSE_ERROR: 1,
  UNKNOWN_METHOD: 2,
  INVALID_PARAMS: 3,
  HANDLER_FAILED: 4,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export type RpcHandler = (params: Record<string, unknown>) => Promise<unknown>;

const METHOD = /^[a-z][a-z0-9_]*$/;

export class RpcServer {
  private readonly methods = new Map<string, { owner: string; handler: RpcHandler }>();
  /** Methods whose module stopped (method → module): answered "not available", code 2. */
  private readonly released = new Map<string, string>();
  private off: (() => void) | undefined;

  constructor(
    private readonly node: NodeContext,
    private readonly mqtt: MqttTransport,
    private readonly log: Logger,
  ) {}

  private get prefix(): string {
    return `${this.node.baseTopic}/${this.node.nodeId}/rpc`;
  }

  start(): void {
    this.off = this.mqtt.subscribe(`${this.prefix}/+`, (topic, payload) => {
      void this.handle(topic.slice(this.prefix.length + 1), payload);
    });
  }

  stop(): void {
    this.off?.();
  }

  /**
   * Offers a method. A name another owner holds is an error (a module never replaces another's
   * method); the returned function withdraws it.
   */
  register(method: string, handler: RpcHandler, owner = 'core'): () => void {
    if (!METHOD.test(method) || method === 'notify') throw new Error(`invalid RPC method name ${method}`);
    const taken = this.methods.get(method);
    if (taken) throw new Error(`RPC method ${method} is already offered by ${taken.owner}`);
    const entry = { owner, handler };
    this.methods.set(method, entry);
    this.released.delete(method);
    return () => {
      if (this.methods.get(method) === entry) this.methods.delete(method);
    };
  }

  /** Withdraws every method of an owner (its module stopped): they answer "not available". */
  release(owner: string): void {
    for (const [m, e] of [...this.methods]) {
      if (e.owner !== owner) continue;
      this.methods.delete(m);
      this.released.set(m, owner);
    }
  }

  /** Methods offered now, with their owner (diagnostics, tests). */
  offered(): Record<string, string> {
    return Object.fromEntries([...this.methods].map(([m, e]) => [m, e.owner]));
  }

  /**
   * Publishes a notification at QoS 1 with a unique `event_id` (the bridge fires an HA event
   * once even if the broker delivers it twice). Resolves on the broker's PUBACK; rejects when
   * it was not acknowledged (offline, closed, timeout): a caller that must not lose it awaits.
   */
  notify(name: string, payload: Record<string, unknown>): Promise<void> {
    const body = { event_id: randomUUID(), ...payload };
    return this.mqtt.publish(`${this.prefix}/notify/${name}`, JSON.stringify(body), { qos: 1 });
  }

  private async handle(method: string, payload: Buffer): Promise<void> {
    let id: unknown = null;
    // QoS 1 and awaited: a reply the broker did not acknowledge is logged, not lost silently.
    const reply = async (body: Record<string, unknown>): Promise<void> => {
      try {
        await this.mqtt.publish(`${this.prefix}/${method}/reply`, JSON.stringify({ id, ...body }), {
          qos: 1,
        });
      } catch (err) {
        this.log.warn(() => `reply to rpc ${method} not delivered`, err);
      }
    };
    let req: unknown;
    try {
      req = JSON.parse(payload.toString('utf8'));
    } catch {
      await reply({ ok: false, error: { code: RpcErrorCode.PARSE_ERROR, message: 'request is not JSON' } });
      return;
    }
    if (!req || typeof req !== 'object' || Array.isArray(req)) {
      await reply({
        ok: false,
        error: { code: RpcErrorCode.PARSE_ERROR, message: 'request must be a JSON object' },
      });
      return;
    }
    const r = req as { id?: unknown; params?: unknown };
    id = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : null;
    const handler = this.methods.get(method)?.handler;
    if (!handler) {
      const stopped = this.released.get(method);
      const message = stopped
        ? `method ${method} not available: module ${stopped} is not running`
        : `unknown method ${method}`;
      await reply({ ok: false, error: { code: RpcErrorCode.UNKNOWN_METHOD, message } });
      return;
    }
    const params = r.params ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      await reply({
        ok: false,
        error: { code: RpcErrorCode.INVALID_PARAMS, message: 'params must be an object' },
      });
      return;
    }
    try {
      const result = await handler(params as Record<string, unknown>);
      await reply({ ok: true, result: result ?? null });
    } catch (err) {
      const code = err instanceof RpcError ? err.code : RpcErrorCode.HANDLER_FAILED;
      this.log.warn(() => `rpc ${method} failed`, err);
      await reply({ ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } });
    }
  }
}
