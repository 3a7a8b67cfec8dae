import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones: the dependency behind it is down. */
  cut(): Promise<void>;
  /** Listens again on the same port: the dependency is back. */
  restore(): Promise<void>;
}

/** A TCP proxy to a real dependency, so a test can take that dependency away mid-run and give it back. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer((client) => {
        const upstream = createConnection({ host: targetHost, port: targetPort });
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
  let server: Server | undefined = await listen(0);
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the proxy has no port');
  const port = address.port;
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        const closing = server;
        server = undefined;
        for (const socket of sockets) socket.destroy();
        if (closing) closing.close(() => resolve());
        else resolve();
      }),
    restore: async () => {
      server ??= await listen(port);
    },
  };
}

/** The same URL, reaching its host through the proxy. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}
