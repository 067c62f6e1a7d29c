/**
 * A TCP proxy in the test (node:net) between a server and a backing service, that the test can
 * cut (every connection dropped, new ones refused) and restore: an outage, for real.
 */
import net from 'node:net';

export interface TcpProxy {
  /** The proxy's own port on 127.0.0.1. */
  readonly port: number;
  /** `target` (a URL naming the real service) with host and port of the proxy instead. */
  through(target: string): string;
  /** Drops every open connection and resets new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Listens on a free port of 127.0.0.1 and forwards to `host:port`.
 *
 * @example
 * ```ts
 * const proxy = await startTcpProxy('127.0.0.1', 5432);
 * const url = proxy.through(db.url); // postgres://postgres@127.0.0.1:<proxy port>/keyturn_test_…
 * proxy.cut();
 * ```
 */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(port, host);
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      open.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        open.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const own = (server.address() as net.AddressInfo).port;
  return {
    port: own,
    through(target) {
      const url = new URL(target);
      url.hostname = '127.0.0.1';
      url.port = String(own);
      return url.toString();
    },
    cut() {
      cut = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
