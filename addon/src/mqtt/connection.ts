/**
 * The MQTT connection, on the `mqtt` package: retained last will `offline` and `online` on
 * `<base>/<node_id>/status`, reconnect with capped exponential backoff, username/password and
 * TLS, MQTT 5 with a fallback to 3.1.1 when the broker refuses the protocol version.
 * Keeps the list of subscriptions and dispatches messages to handlers by topic filter.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { Backoff } from '../core/backoff.js';
import type { Logger } from '../core/logger.js';

export interface MqttSettings {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  protocolVersion: 4 | 5;
  keepalive: number;
  reconnectMaxMs: number;
  reconnectInitialMs?: number;
  statusTopic: string;
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
}

export type MessageHandler = (topic: string, payload: Buffer, retained: boolean) => void;

export interface PublishOptions {
  retain?: boolean;
  qos?: 0 | 1;
}

/** What the rest of the code needs from MQTT; tests and benchmarks can provide their own. */
export interface MqttTransport {
  readonly connected: boolean;
  publish(topic: string, payload: string | Buffer, opts?: PublishOptions): void;
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

export class MqttConnection implements MqttTransport {
  private client: MqttClient | undefined;
  private readonly handlers: Array<{ filter: string; handler: MessageHandler }> = [];
  private readonly connectListeners = new Set<(first: boolean) => void>();
  private readonly backoff: Backoff;
  private protocolVersion: 4 | 5;
  private everConnected = false;
  private stopping = false;
  readonly stats = { sent: 0, dropped: 0, received: 0 };

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
      reconnectPeriod: s.reconnectInitialMs ?? 1000,
      connectTimeout: 10_000,
      queueQoSZero: false,
      resubscribe: true,
      will: { topic: s.statusTopic, payload: Buffer.from('offline'), retain: true, qos: 1 },
    };
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

  private open(): void {
    const client = mqtt.connect(this.settings.url, this.options());
    this.client = client;
    // Runs before mqtt.js schedules its reconnect timer, so the next wait follows our backoff.
    client.prependListener('close', () => {
      client.options.reconnectPeriod = this.backoff.next();
    });
    client.on('connect', () => {
      const first = !this.everConnected;
      this.everConnected = true;
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
    client.on('offline', () =>
      this.log.warn(() => `broker ${redactUrl(this.settings.url)} unreachable, retrying`),
    );
    client.on('error', (err: Error & { code?: number }) => {
      if (
        !this.everConnected &&
        this.protocolVersion === 5 &&
        typeof err.code === 'number' &&
        UNSUPPORTED_PROTOCOL.has(err.code)
      ) {
        this.log.warn('broker refuses MQTT 5, falling back to MQTT 3.1.1');
        this.protocolVersion = 4;
        client.end(true, () => {
          if (!this.stopping) this.open();
        });
        return;
      }
      this.log.warn(() => `MQTT error: ${err.message}`);
    });
  }

  publish(topic: string, payload: string | Buffer, opts: PublishOptions = {}): void {
    const c = this.client;
    if (!c?.connected) {
      this.stats.dropped++;
      return;
    }
    this.stats.sent++;
    c.publish(topic, payload, { retain: opts.retain ?? false, qos: opts.qos ?? 0 });
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

  onConnect(listener: (first: boolean) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** Publishes `offline` (retained) and disconnects cleanly. */
  async stop(): Promise<void> {
    this.stopping = true;
    const c = this.client;
    if (!c) return;
    if (c.connected) {
      await new Promise<void>((resolve) =>
        c.publish(this.settings.statusTopic, 'offline', { retain: true, qos: 1 }, () => resolve()),
      );
      this.stats.sent++;
    }
    await new Promise<void>((resolve) => c.end(false, {}, () => resolve()));
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
