/**
 * RPC over MQTT for the `monitor_bridge` integration (which uses Home Assistant's own MQTT
 * connection, possibly 3.1.1, so no MQTT 5 response-topic property is relied upon):
 *
 *   request  `<base>/<node_id>/rpc/<method>`         {"body": "{\"id\":…,\"method\":…,\"ts\":…,\"nonce\":…,\"params\":{…}}", "sig": "<hex HMAC>"}
 *   reply    `<base>/<node_id>/rpc/<method>/reply`   {"id": "…", "ok": true, "result": …}
 *                                                    {"id": "…", "ok": false, "error": {"code": n, "message": "…"}}
 *   notification `<base>/<node_id>/rpc/notify/<name>` {…}   (e.g. sms_received)
 *
 * Requests are signed (docs/rpc.md, rpc-sign.ts): anyone who can publish on the broker could
 * otherwise send SMS anywhere (issue 15). A request that is unsigned (unless
 * `rpc.require_signature` is false), badly signed, for another method, outside the 60 s window
 * or replayed within 120 s is refused with code 5 and its handler never runs.
 * Params are data: a handler receives a parsed JSON object and never evaluates it.
 */

import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { NodeContext } from '../entities/discovery.js';
import type { MqttTransport } from './connection.js';
import { RPC_NONCE_TTL_S, verifyRequest } from './rpc-sign.js';

export interface RpcOptions {
  /** Refuse unsigned requests (default true). */
  requireSignature?: boolean;
  /** The installation's secret; may also be given later with setSecret(). */
  secret?: string;
  now?: () => number;
}

export const RpcErrorCode = {
  PARSE_ERROR: 1,
  UNKNOWN_METHOD: 2,
  INVALID_PARAMS: 3,
  HANDLER_FAILED: 4,
  /** Missing, wrong or replayed signature, stale timestamp. */
  UNAUTHORISED: 5,
  /** Refused by policy: recipient not allowed, quota exceeded, too many recipients, text too long. */
  REFUSED: 6,
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

  private secret: string | undefined;
  /** Nonces seen (nonce → when it may be forgotten, Unix s), in arrival order. */
  private readonly nonces = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly node: NodeContext,
    private readonly mqtt: MqttTransport,
    private readonly log: Logger,
    private readonly opts: RpcOptions = {},
  ) {
    this.secret = opts.secret || undefined;
    this.now = opts.now ?? Date.now;
  }

  setSecret(secret: string): void {
    this.secret = secret || undefined;
  }

  /** Whether a nonce was seen within its time to live; remembers it otherwise. */
  private replayed(nonce: string, nowS: number): boolean {
    for (const [n, until] of this.nonces) {
      if (until > nowS) break;
      this.nonces.delete(n);
    }
    if (this.nonces.has(nonce)) return true;
    this.nonces.set(nonce, nowS + RPC_NONCE_TTL_S);
    return false;
  }

  /**
   * The request's id and params, or the error to answer. Signed requests are checked whenever
   * a secret is known; unsigned ones pass only with `require_signature: false`.
   */
  private authenticate(
    method: string,
    text: string,
  ): { id: unknown; params?: unknown; error?: { code: number; message: string } } {
    const requireSignature = this.opts.requireSignature ?? true;
    let outer: unknown;
    try {
      outer = JSON.parse(text);
    } catch {
      return { id: null, error: { code: RpcErrorCode.PARSE_ERROR, message: 'request is not JSON' } };
    }
    if (!outer || typeof outer !== 'object' || Array.isArray(outer))
      return {
        id: null,
        error: { code: RpcErrorCode.PARSE_ERROR, message: 'request must be a JSON object' },
      };
    const signed = 'sig' in outer || 'body' in outer;
    if (!signed && !requireSignature) {
      const r = outer as { id?: unknown; params?: unknown };
      return {
        id: typeof r.id === 'string' || typeof r.id === 'number' ? r.id : null,
        params: r.params ?? {},
      };
    }
    if (!this.secret)
      return { id: null, error: { code: RpcErrorCode.UNAUTHORISED, message: 'no RPC secret configured' } };
    const nowS = Math.floor(this.now() / 1000);
    const v = verifyRequest(text, this.secret, method, nowS);
    if (!v.ok) return { id: v.id, error: { code: v.code, message: v.reason } };
    if (this.replayed(v.body.nonce, nowS))
      return { id: v.body.id, error: { code: RpcErrorCode.UNAUTHORISED, message: 'replayed request' } };
    return { id: v.body.id, params: v.body.params };
  }

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
    const auth = this.authenticate(method, payload.toString('utf8'));
    id = auth.id;
    if (auth.error) {
      if (auth.error.code === RpcErrorCode.UNAUTHORISED)
        this.log.warn(() => `rpc ${method} refused: ${auth.error?.message}`);
      await reply({ ok: false, error: auth.error });
      return;
    }
    const handler = this.methods.get(method)?.handler;
    if (!handler) {
      const stopped = this.released.get(method);
      const message = stopped
        ? `method ${method} not available: module ${stopped} is not running`
        : `unknown method ${method}`;
      await reply({ ok: false, error: { code: RpcErrorCode.UNKNOWN_METHOD, message } });
      return;
    }
    const params = auth.params;
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
