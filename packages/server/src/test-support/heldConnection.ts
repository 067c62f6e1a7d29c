/**
 * A raw TCP connection to a test server that sends exactly what the test says, when it says it:
 * headers and then no body, a byte now and then, or nothing more. For timeouts and the drain.
 */
import net from 'node:net';

export interface HeldConnection {
  socket: net.Socket;
  /** Everything the server has sent so far. */
  received(): string;
  /** Resolves once the server (or the test) has closed the connection, with the ms since it opened. */
  closed: Promise<number>;
  /** Whether the connection is closed yet. */
  isClosed(): boolean;
}

/**
 * Connects to the host and port of `url`, writes `first` (e.g. a request line and headers) once
 * connected, and keeps the connection open.
 *
 * @example
 * ```ts
 * const held = await holdConnection(s.url, 'POST /signin HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
 * expect(await held.closed).toBeLessThan(4_000);
 * ```
 */
export async function holdConnection(url: string, first: string): Promise<HeldConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  const opened = performance.now();
  let data = '';
  let done = false;
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  const closed = new Promise<number>((resolve) => {
    socket.on('close', () => {
      done = true;
      resolve(performance.now() - opened);
    });
  });
  // A reset by the server is one way of closing; it is what `closed` reports, not a failure.
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(first);
  return { socket, received: () => data, closed, isClosed: () => done };
}

/** The request line and headers of a form POST announcing `contentLength` bytes of body. */
export function formPostHead(path: string, contentLength: number, extraHeaders: Record<string, string> = {}): string {
  const extra = Object.entries(extraHeaders).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return `POST ${path} HTTP/1.1\r\nHost: keyturn.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${contentLength}\r\n${extra}\r\n`;
}
