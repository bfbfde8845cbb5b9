/**
 * The one way Monitor opens an MQTT client: the service's connection, the start-up checks'
 * short connections and the demo's simulators all come through here.
 *
 * Why: mqtt.js's `writeCache` option (true by default) makes mqtt-packet build a process-wide
 * table of 65,536 two-byte Buffers on the first packet ANY client writes, kept for the life of
 * the process: ≈ 7 MB resident (a tenth of the service) to save a 2-byte allocation per packet.
 * One client opened without the option (the anonymous-broker probe at start) was enough to pay it
 * (test/core/mqtt-number-cache.test.ts).
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export function openMqttClient(url: string, options: IClientOptions): MqttClient {
  return mqtt.connect(url, { ...options, writeCache: false });
}
