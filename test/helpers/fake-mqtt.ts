/**
 * An in-memory MqttTransport for unit tests and benchmarks: records what is published,
 * delivers messages to subscribers by topic filter, and fires connect listeners on demand.
 * Like the real one, publish() returns a promise: rejected while `connected` is false; QoS 1
 * resolved at once (the PUBACK), or held while `holdAcks` is true (a frozen broker) until
 * `releaseAcks()`, `disconnect()` (rejected, as on a closed connection) or `timeoutAcks()`.
 */
import {
  handled,
  type MessageHandler,
  type MqttTransport,
  PublishError,
  type PublishOptions,
  topicMatches,
} from '../../addon/src/mqtt/connection.js';

export interface Published {
  topic: string;
  payload: string;
  retain: boolean;
  qos: 0 | 1;
}

export class FakeMqtt implements MqttTransport {
  connected = true;
  readonly published: Published[] = [];
  readonly stats = { sent: 0, dropped: 0, received: 0 };
  /** When false, nothing is kept (benchmarks only count). */
  record = true;
  private readonly subs: Array<{ filter: string; handler: MessageHandler }> = [];
  private readonly connectListeners = new Set<(first: boolean) => void>();
  /** When true, QoS 1 publishes wait for releaseAcks() / disconnect() / timeoutAcks(). */
  holdAcks = false;
  private readonly held: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  publish(topic: string, payload: string | Buffer, opts: PublishOptions = {}): Promise<void> {
    if (!this.connected) {
      this.stats.dropped++;
      return handled(Promise.reject(new PublishError('offline', `not connected: ${topic} not sent`)));
    }
    this.stats.sent++;
    if (this.record)
      this.published.push({
        topic,
        payload: payload.toString(),
        retain: opts.retain ?? false,
        qos: opts.qos ?? 0,
      });
    if ((opts.qos ?? 0) === 0 || !this.holdAcks) return Promise.resolve();
    return handled(new Promise<void>((resolve, reject) => this.held.push({ resolve, reject })));
  }

  /** QoS 1 publishes held so far get their PUBACK. */
  releaseAcks(): void {
    for (const h of this.held.splice(0)) h.resolve();
  }

  /** The ack timeout of held publishes expires (a half-open connection). */
  timeoutAcks(): void {
    for (const h of this.held.splice(0)) h.reject(new PublishError('timeout', 'no PUBACK'));
  }

  /** The connection closes: held publishes are rejected, later ones too until fireConnect(). */
  disconnect(): void {
    this.connected = false;
    for (const h of this.held.splice(0)) h.reject(new PublishError('closed', 'connection closed'));
  }

  subscribe(filter: string, handler: MessageHandler): () => void {
    const entry = { filter, handler };
    this.subs.push(entry);
    return () => {
      const i = this.subs.indexOf(entry);
      if (i >= 0) this.subs.splice(i, 1);
    };
  }

  onConnect(listener: (first: boolean) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** A message from the broker. */
  deliver(topic: string, payload: string, retained = false): void {
    this.stats.received++;
    for (const s of [...this.subs])
      if (topicMatches(s.filter, topic)) s.handler(topic, Buffer.from(payload), retained);
  }

  /** A (re)connection. */
  fireConnect(first = false): void {
    this.connected = true;
    for (const l of [...this.connectListeners]) l(first);
  }

  get subscriptions(): string[] {
    return this.subs.map((s) => s.filter);
  }

  on(topic: string): Published[] {
    return this.published.filter((p) => p.topic === topic);
  }

  clear(): void {
    this.published.length = 0;
  }
}
