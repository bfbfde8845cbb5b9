import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between a client (Monitor) and Mosquitto that counts the bytes the client sends: what the MQTT
 * connection really costs on the wire (fixed headers, topics or their aliases, properties,
 * PINGREQs), not only topic + payload as a subscriber sees them.
 */
export class CountingProxy {
  /** Bytes from the client to the broker since start, every connection through the proxy. */
  sent = 0;
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  constructor(private readonly target: { host: string; port: number }) {}
  async start(): Promise<string> {
    this.server = createServer((client) => {
      const upstream = createConnection(this.target);
      this.sockets.add(client).add(upstream);
      client.on('data', (b: Buffer) => {
        this.sent += b.length;
      });
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('proxy has no port');
    return `mqtt://127.0.0.1:${addr.port}`;
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
