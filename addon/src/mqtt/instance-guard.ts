/**
 * One running instance per node_id on a broker. Two Monitors started by mistake with the same
 * node_id would overwrite each other's retained discovery, states and `online`/`offline`, and
 * (with the default client id) kick each other off the broker in turn. Before the main
 * connection publishes anything, `checkNodeIdFree` opens a short connection of its own (no last
 * will, its own client id), reads the retained `<base>/<node_id>/status`, and when it says
 * `online`, asks `<base>/<node_id>/instance/ping`; a running instance answers on `…/pong`
 * (`answerInstancePings`). An answer means the node_id is taken: `monitor run` refuses to start
 * and says which host has it. No answer (a stale `online` left by a broker restart) lets it start.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { IClientOptions } from 'mqtt';
import type { MonitorConfig } from '../config/types.generated.js';
import type { Lang } from '../core/i18n.js';
import type { Logger } from '../core/logger.js';
import { openMqttClient } from './client.js';
import type { MqttTransport } from './connection.js';

export interface InstanceClaim {
  instance: string;
  host: string;
  pid: number;
  started: string;
}

export function thisInstance(): InstanceClaim {
  return { instance: randomUUID(), host: hostname(), pid: process.pid, started: new Date().toISOString() };
}

export class NodeIdTakenError extends Error {
  constructor(
    readonly nodeId: string,
    readonly holder: InstanceClaim,
    lang: Lang,
  ) {
    super(
      lang === 'fr'
        ? `node_id : « ${nodeId} » est déjà utilisé par un Monitor en marche sur l’hôte ${holder.host} (pid ${holder.pid}, depuis ${holder.started}) ; donnez à chaque instance son propre node_id`
        : `node_id: "${nodeId}" is already used by a running Monitor on host ${holder.host} (pid ${holder.pid}, since ${holder.started}); give each instance its own node_id`,
    );
    this.name = 'NodeIdTakenError';
  }
}

const topics = (config: MonitorConfig) => {
  const base = `${config.mqtt.base_topic}/${config.node_id}`;
  return {
    status: `${base}/status`,
    ping: `${base}/instance/ping`,
    pong: `${base}/instance/pong`,
    marker: `${base}/instance/check`,
  };
};

function parseClaim(payload: Buffer): InstanceClaim | undefined {
  try {
    const c = JSON.parse(payload.toString()) as Partial<InstanceClaim>;
    if (typeof c.instance === 'string' && typeof c.host === 'string') return c as InstanceClaim;
  } catch {}
  return undefined;
}

/** The holder of this node_id if another instance answers, else undefined (also when the broker cannot be reached: the main connection reports that). */
export async function checkNodeIdFree(
  config: MonitorConfig,
  me: InstanceClaim,
  log: Logger,
  timing = { retainedMs: 500, answerMs: 2000, connectMs: 5000 },
): Promise<InstanceClaim | undefined> {
  const m = config.mqtt;
  const t = topics(config);
  const options: IClientOptions = {
    clientId: `monitor_${config.node_id}_check_${me.instance.slice(0, 8)}`,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: timing.connectMs,
  };
  if (m.username) options.username = m.username;
  if (m.password) options.password = m.password;
  if (m.tls.ca) options.ca = readFileSync(m.tls.ca);
  if (m.tls.cert) options.cert = readFileSync(m.tls.cert);
  if (m.tls.key) options.key = readFileSync(m.tls.key);
  options.rejectUnauthorized = m.tls.reject_unauthorized;
  const client = openMqttClient(m.url, options);
  try {
    const connected = await new Promise<boolean>((resolve) => {
      client.once('connect', () => resolve(true));
      client.once('error', () => resolve(false));
      client.once('close', () => resolve(false));
    });
    if (!connected) {
      log.debug('node_id check skipped: broker not reachable yet');
      return undefined;
    }
    let status: string | undefined;
    let holder: InstanceClaim | undefined;
    let markerBack = false;
    client.on('message', (topic, payload) => {
      if (topic === t.status) status = payload.toString();
      if (topic === t.marker && payload.toString() === me.instance) markerBack = true;
      const claim = topic === t.pong ? parseClaim(payload) : undefined;
      if (claim && claim.instance !== me.instance) holder = claim;
    });
    await client.subscribeAsync([t.status, t.pong, t.marker], { qos: 0 });
    // The broker sends the retained status as it handles the subscription, before it routes our
    // own marker back: once the marker is back, a missing status means there is none.
    await client.publishAsync(t.marker, me.instance, { qos: 0 });
    const retainedEnd = Date.now() + timing.retainedMs;
    while (!markerBack && Date.now() < retainedEnd) await new Promise((r) => setTimeout(r, 5));
    if (status !== 'online') return undefined;
    await client.publishAsync(t.ping, JSON.stringify(me), { qos: 0 });
    const end = Date.now() + timing.answerMs;
    while (!holder && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    if (!holder) log.info(() => `${t.status} says online but nobody answers: a stale status, starting`);
    return holder;
  } finally {
    client.end(true);
  }
}

/** The running side: answers every other instance's ping, and says so in the log. */
export function answerInstancePings(
  mqttConn: MqttTransport,
  config: MonitorConfig,
  me: InstanceClaim,
  log: Logger,
): () => void {
  const t = topics(config);
  return mqttConn.subscribe(t.ping, (_topic, payload) => {
    const other = parseClaim(payload);
    if (!other || other.instance === me.instance) return;
    mqttConn.publish(t.pong, JSON.stringify(me));
    log.warn(
      () =>
        `another Monitor (host ${other.host}, pid ${other.pid}) tried to start with node_id "${config.node_id}"; it was told this one runs here`,
    );
  });
}
