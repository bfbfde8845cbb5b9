/** An in-process MQTT broker (aedes) on a free local port, for the demo and quick trials. */
import { type AddressInfo, createServer, type Server } from 'node:net';

export interface LocalBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startLocalBroker(port = 0, host = '127.0.0.1'): Promise<LocalBroker> {
  // Loaded on demand: `monitor run` never needs a broker of its own (memory, start time).
  const { Aedes } = await import('aedes');
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}
