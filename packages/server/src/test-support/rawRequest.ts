/**
 * One HTTP/1.1 request written byte for byte on its own TCP connection, with nothing checked or
 * fixed on the way (a method, path or header no HTTP client would send), and the answer read
 * back as it came: for the fuzz tests.
 */
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target as written on the request line (path and query, any bytes). */
  target: string;
  /** Header lines as written, repeated names allowed; Host, Content-Length and Connection are added. */
  headers: Array<[string, string]>;
  body: Buffer;
}

export interface RawAnswer {
  /** The status of the answer; 0 when the server closed without answering. */
  status: number;
  head: string;
  body: string;
}

/** The bytes of `req`, strings written as latin1 so that any byte can be sent. */
export function requestBytes(req: RawRequest): Buffer {
  const lines = [`${req.method} ${req.target} HTTP/1.1`, 'Host: keyturn.test', ...req.headers.map(([k, v]) => `${k}: ${v}`), `Content-Length: ${req.body.length}`, 'Connection: close'];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), req.body]);
}

/**
 * Sends `req` to the host and port of `url` and resolves with the answer once the server closes
 * the connection (or after `timeoutMs`, with what came so far).
 *
 * @example
 * ```ts
 * const answer = await sendRaw(s.url, { method: 'GET', target: '/%zz', headers: [], body: Buffer.alloc(0) });
 * expect(answer.status).toBe(400);
 * ```
 */
export function sendRaw(url: string, req: RawRequest, timeoutMs = 10_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A reset after the answer (the server refused the rest of a body) still leaves the answer.
      if (chunks.length === 0 && err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      // Interim answers (100 Continue to an Expect header) come before the real one.
      const text = Buffer.concat(chunks).toString('latin1').replace(/^(HTTP\/1\.[01] 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n)+/, '');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: split < 0 ? '' : text.slice(split + 4) });
    });
    // write, not end: a half-closed connection makes Node drop the answers still being prepared.
    socket.write(requestBytes(req));
  });
}
