/**
 * The MQTT connection, on the `mqtt` package: retained last will `offline` and `online` on
 * `<base>/<node_id>/status`, reconnect with capped exponential backoff, username/password and
 * TLS, MQTT 5 with a fallback to 3.1.1 when the broker refuses the protocol version.
 * Keeps the list of subscriptions and dispatches messages to handlers by topic filter.
 */
import { readFileSync } from 'node:fs';
import type { IClientOptions, MqttClient } from 'mqtt';
import { Backoff } from '../core/backoff.js';
import type { Logger } from '../core/logger.js';
import { openMqttClient } from './client.js';

export interface MqttSettings {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  protocolVersion: 4 | 5;
  keepalive: number;
  reconnectMaxMs: number;
  reconnectInitialMs?: number;
  /**
   * How long a QoS 1 publish waits for its PUBACK before it is rejected (a half-open
   * connection, a frozen broker: TCP accepts the bytes, nobody answers). Default 10 s.
   */
  ackTimeoutMs?: number;
  statusTopic: string;
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
}

export type MessageHandler = (topic: string, payload: Buffer, retained: boolean) => void;

export interface PublishOptions {
  retain?: boolean;
  qos?: 0 | 1;
}

/** Why a publish was not acknowledged: offline, connection closed, or no PUBACK in time. */
export class PublishError extends Error {
  constructor(
    readonly reason: 'offline' | 'closed' | 'timeout' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

/**
 * A publish's promise that nobody awaits must not become an unhandled rejection (the registry
 * fires and forgets retained states): a no-op handler is attached, and whoever awaits the
 * returned promise still sees the rejection.
 */
export function handled(p: Promise<void>): Promise<void> {
  p.catch(() => {});
  return p;
}

/** What the rest of the code needs from MQTT; tests and benchmarks can provide their own. */
export interface MqttTransport {
  /** The transport's own view (mqtt.js `connected`): modules read it here, never mirror it. */
  readonly connected: boolean;
  /**
   * QoS 1: resolves on the broker's PUBACK; rejects (PublishError) when offline, when the
   * connection closes first, or when no PUBACK comes within the ack timeout. QoS 0: resolves
   * once written to the socket. A caller that must not lose the message awaits it.
   */
  publish(topic: string, payload: string | Buffer, opts?: PublishOptions): Promise<void>;
  subscribe(filter: string, handler: MessageHandler): () => void;
  onConnect(listener: (first: boolean) => void): () => void;
  readonly stats: { sent: number; dropped: number; received: number };
}

/** MQTT topic filter match (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const part = f[i];
    if (part === '#') return true;
    if (i >= t.length) return false;
    if (part !== '+' && part !== t[i]) return false;
  }
  return f.length === t.length;
}

/** CONNACK codes that mean "I do not speak this protocol version" (3.1.1: 1; MQTT 5: 0x84). */
const UNSUPPORTED_PROTOCOL = new Set([1, 0x84]);
/** CONNACK codes that mean "wrong credentials" (3.1.1: 4, 5; MQTT 5: 0x86, 0x87). */
const BAD_CREDENTIALS = new Set([4, 5, 0x86, 0x87]);

export class MqttConnection implements MqttTransport {
  private client: MqttClient | undefined;
  private readonly handlers: Array<{ filter: string; handler: MessageHandler }> = [];
  private readonly connectListeners = new Set<(first: boolean) => void>();
  private readonly disconnectListeners = new Set<() => void>();
  private readonly backoff: Backoff;
  private protocolVersion: 4 | 5;
  private everConnected = false;
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Last refusal reported, so that a refusal repeated at every retry is logged once. */
  private lastRefusal: string | undefined;
  readonly stats = { sent: 0, dropped: 0, received: 0 };
  /** Delays chosen between reconnection attempts (for tests and diagnostics). */
  readonly reconnectDelays: number[] = [];
  /** QoS 1 publishes waiting for their PUBACK: rejected when the connection closes. */
  private readonly awaitingAck = new Set<(err: PublishError) => void>();

  constructor(
    private readonly settings: MqttSettings,
    private readonly log: Logger,
  ) {
    this.protocolVersion = settings.protocolVersion;
    this.backoff = new Backoff({
      initialMs: settings.reconnectInitialMs ?? 1000,
      maxMs: settings.reconnectMaxMs,
    });
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** URL, protocol and TLS as used (the protocol after a fallback), for the anonymous probe. */
  settingsForProbe(): MqttSettings {
    return { ...this.settings, protocolVersion: this.protocolVersion, username: '', password: '' };
  }

  get protocol(): 4 | 5 {
    return this.protocolVersion;
  }

  /** Resolves on the first connection; later drops are handled by reconnecting. */
  start(timeoutMs = 0): Promise<void> {
    this.stopping = false;
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              if (settled) return;
              settled = true;
              off();
              reject(new Error(`no connection to ${redactUrl(this.settings.url)} after ${timeoutMs} ms`));
            }, timeoutMs)
          : undefined;
      const off = this.onConnect(() => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        off();
        resolve();
      });
      this.open();
    });
  }

  private options(): IClientOptions {
    const s = this.settings;
    const o: IClientOptions = {
      clientId: s.clientId,
      protocolVersion: this.protocolVersion,
      keepalive: s.keepalive,
      clean: true,
      // mqtt.js retries at a fixed period (a setInterval set once per outage), so the capped
      // exponential backoff is ours: see scheduleReconnect().
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      queueQoSZero: false,
      // Subscriptions are re-sent by the 'connect' handler below (once, not twice).
      resubscribe: false,
      will: { topic: s.statusTopic, payload: Buffer.from('offline'), retain: true, qos: 1 },
    };
    if (this.protocolVersion === 5) {
      // MQTT 5 topic aliases: a topic published again (a Linky index, once per watt-hour) is sent
      // as a 2-byte alias instead of its ~45-byte name, within the broker's Topic Alias Maximum
      // (Mosquitto: 10; mqtt.js reuses the least recently used). 3.1.1 has none.
      o.autoUseTopicAlias = true;
      o.autoAssignTopicAlias = true;
    }
    if (s.username) o.username = s.username;
    if (s.password) o.password = s.password;
    if (s.tls) {
      if (s.tls.ca) o.ca = readFileSync(s.tls.ca);
      if (s.tls.cert) o.cert = readFileSync(s.tls.cert);
      if (s.tls.key) o.key = readFileSync(s.tls.key);
      o.rejectUnauthorized = s.tls.rejectUnauthorized ?? true;
    }
    return o;
  }

  private scheduleReconnect(client: MqttClient): void {
    if (this.stopping || this.reconnectTimer || this.client !== client) return;
    const delay = this.backoff.next();
    this.reconnectDelays.push(delay);
    this.log.debug(() => `reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopping && this.client === client && !client.connected) client.reconnect();
    }, delay);
  }

  private open(): void {
    let client: MqttClient;
    try {
      client = openMqttClient(this.settings.url, this.options());
    } catch (err) {
      // A certificate file that cannot be read, an unknown URL scheme: nothing to retry.
      this.log.error(() => `cannot connect to ${redactUrl(this.settings.url)}`, err);
      throw err;
    }
    this.client = client;
    let up = false;
    client.on('close', () => {
      for (const fail of [...this.awaitingAck])
        fail(new PublishError('closed', 'connection closed before the broker acknowledged'));
      if (up && !this.stopping)
        this.log.warn(() => `connection to ${redactUrl(this.settings.url)} lost, reconnecting`);
      if (up) this.notifyDisconnect();
      up = false;
      this.scheduleReconnect(client);
    });
    client.on('connect', () => {
      // Nagle's algorithm held a small publish that followed another (an alarm event, then its
      // state) until the broker's delayed ACK: ~40 ms on every alarm transition measured by
      // `npm run bench -- alarm`. MQTT packets are small and each is worth sending at once; a
      // TLS socket passes the option to its TCP socket, a websocket stream has none.
      (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
      const first = !this.everConnected;
      this.everConnected = true;
      up = true;
      this.lastRefusal = undefined;
      this.backoff.reset();
      this.log.info(
        () =>
          `connected to ${redactUrl(this.settings.url)} (MQTT ${this.protocolVersion === 5 ? '5' : '3.1.1'})`,
      );
      client.publish(this.settings.statusTopic, 'online', { retain: true, qos: 1 });
      this.stats.sent++;
      const filters = [...new Set(this.handlers.map((h) => h.filter))];
      if (filters.length) client.subscribe(filters, { qos: 0 });
      for (const l of [...this.connectListeners]) {
        try {
          l(first);
        } catch (err) {
          this.log.error('connect listener failed', err);
        }
      }
    });
    // MQTT 5 brokers say why they close a connection.
    client.on('disconnect', (packet) => {
      const code = packet.reasonCode ?? 0;
      if (code === 0x8e)
        this.log.error(
          () =>
            `broker closed the connection: session taken over by another client with id "${this.settings.clientId}" (two instances with the same node_id or client_id?)`,
        );
      else this.log.warn(() => `broker closed the connection (reason code ${code})`);
    });
    client.on('message', (topic, payload, packet) => {
      this.stats.received++;
      for (const h of this.handlers) {
        if (!topicMatches(h.filter, topic)) continue;
        try {
          h.handler(topic, payload, packet.retain);
        } catch (err) {
          this.log.error(() => `handler of ${topic} failed`, err);
        }
      }
    });
    client.on('error', (err: Error & { code?: number | string }) => {
      const code = typeof err.code === 'number' ? err.code : undefined;
      if (
        !this.everConnected &&
        this.protocolVersion === 5 &&
        code !== undefined &&
        UNSUPPORTED_PROTOCOL.has(code)
      ) {
        this.log.warn('broker refuses MQTT 5, falling back to MQTT 3.1.1');
        this.protocolVersion = 4;
        this.client = undefined;
        client.end(true, () => {
          if (!this.stopping) this.open();
        });
        return;
      }
      let text = `MQTT error: ${err.message}`;
      if (code !== undefined && BAD_CREDENTIALS.has(code)) {
        const user = this.settings.username ? `user "${this.settings.username}"` : 'no user name';
        text = `broker ${redactUrl(this.settings.url)} refused the credentials (${err.message}; ${user}): check mqtt.username and mqtt.password`;
      }
      // The same failure at every retry is logged once, then quietly retried with backoff.
      if (text === this.lastRefusal) this.log.debug(text);
      else if (code !== undefined) this.log.error(text);
      else
        this.log.warn(
          `${text} (retrying with backoff up to ${Math.round(this.settings.reconnectMaxMs / 1000)} s)`,
        );
      this.lastRefusal = text;
    });
  }

  publish(topic: string, payload: string | Buffer, opts: PublishOptions = {}): Promise<void> {
    const c = this.client;
    if (!c?.connected) {
      this.stats.dropped++;
      return handled(Promise.reject(new PublishError('offline', `not connected: ${topic} not sent`)));
    }
    this.stats.sent++;
    const qos = opts.qos ?? 0;
    return handled(
      new Promise<void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        let messageId: number | undefined;
        let settled = false;
        const settle = (err?: Error) => {
          if (settled) return;
          settled = true;
          this.awaitingAck.delete(fail);
          if (timer) clearTimeout(timer);
          if (err) reject(err instanceof PublishError ? err : new PublishError('failed', err.message));
          else resolve();
        };
        const onAck = (err?: Error) => settle(err);
        // Closed or timed out: mqtt.js forgets the message too (its callback would fire never,
        // or after a reconnection, on a promise already settled).
        const fail = (err: PublishError) => {
          if (messageId !== undefined && c.outgoing[messageId]?.cb === onAck) delete c.outgoing[messageId];
          settle(err);
        };
        if (qos === 1) {
          this.awaitingAck.add(fail);
          const ms = this.settings.ackTimeoutMs ?? 10_000;
          timer = setTimeout(
            () => fail(new PublishError('timeout', `no PUBACK for ${topic} within ${ms} ms`)),
            ms,
          );
        }
        c.publish(topic, payload, { retain: opts.retain ?? false, qos }, onAck);
        if (qos === 1) messageId = c.getLastMessageId();
      }),
    );
  }

  subscribe(filter: string, handler: MessageHandler): () => void {
    const entry = { filter, handler };
    this.handlers.push(entry);
    if (this.client?.connected) this.client.subscribe(filter, { qos: 0 });
    return () => {
      const i = this.handlers.indexOf(entry);
      if (i >= 0) this.handlers.splice(i, 1);
      if (!this.handlers.some((h) => h.filter === filter)) this.client?.unsubscribe(filter);
    };
  }

  /** Called when an established connection is lost (not on failed attempts). */
  onDisconnect(listener: () => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  private notifyDisconnect(): void {
    for (const l of [...this.disconnectListeners]) {
      try {
        l();
      } catch (err) {
        this.log.error('disconnect listener failed', err);
      }
    }
  }

  onConnect(listener: (first: boolean) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** Publishes `offline` (retained) and disconnects cleanly. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const c = this.client;
    if (!c) return;
    const bounded = (p: Promise<void>) =>
      Promise.race([p, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    if (c.connected) {
      // QoS 1: resolved when the broker acknowledged it, so it is stored before we disconnect.
      await bounded(
        new Promise<void>((resolve) =>
          c.publish(this.settings.statusTopic, 'offline', { retain: true, qos: 1 }, () => resolve()),
        ),
      );
      this.stats.sent++;
    }
    // A clean DISCONNECT: the broker drops the last will (we already said offline).
    await bounded(new Promise<void>((resolve) => c.end(false, {}, () => resolve())));
    if (!c.disconnected) c.end(true);
  }
}

/** A URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
