// A lean HTTP/1.1 keep-alive client for the load generator: one socket, one request in flight,
// requests written as prebuilt strings and answers parsed just enough (status, Content-Length or
// chunked body). node:http's client costs several times more CPU per request, CPU that on a
// 2-core machine is taken from the server under test.
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

/** Builds the raw request text once; `body` may be replaced per request with `withBody`. */
export function requestHead(url, method, path, headers) {
  const { host } = new URL(url);
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: keep-alive\r\n`;
  for (const [name, value] of Object.entries(headers ?? {})) head += `${name}: ${value}\r\n`;
  return head;
}

export function withBody(head, body) {
  if (body === null || body === undefined) return `${head}\r\n`;
  return `${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** One keep-alive connection to `url`; `send(raw)` resolves `{ status, body }`. Reconnects when the server closed it. */
export class Connection {
  constructor(url) {
    const { hostname, port } = new URL(url);
    this.host = hostname;
    this.port = Number(port);
    this.socket = null;
    this.pending = null;
    this.buffer = Buffer.alloc(0);
  }

  #connect() {
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk) => this.#onData(chunk));
    const fail = (err) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const pending = this.pending;
      this.pending = null;
      this.buffer = Buffer.alloc(0);
      pending?.reject(err ?? new Error('connection closed'));
    };
    socket.on('error', fail);
    socket.on('close', () => fail(null));
    this.socket = socket;
  }

  send(raw) {
    if (this.pending) return Promise.reject(new Error('one request at a time per connection'));
    if (!this.socket) this.#connect();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(raw);
    });
  }

  #onData(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const answer = parseAnswer(this.buffer);
    if (answer === null) return;
    this.buffer = this.buffer.subarray(answer.length);
    const pending = this.pending;
    this.pending = null;
    if (answer.close) this.close();
    pending?.resolve({ status: answer.status, body: answer.body });
  }

  close() {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
  }
}

/** A complete answer at the start of `buf` (`{ status, body, length, close }`), or null when more bytes are needed. */
function parseAnswer(buf) {
  const end = buf.indexOf(HEADER_END);
  if (end < 0) return null;
  const head = buf.toString('latin1', 0, end);
  const status = Number(head.slice(9, 12));
  const lower = head.toLowerCase();
  const close = /\r\nconnection: *close/.test(lower);
  const start = end + 4;
  const lengthMatch = /\r\ncontent-length: *(\d+)/.exec(lower);
  if (lengthMatch) {
    const length = Number(lengthMatch[1]);
    if (buf.length < start + length) return null;
    return { status, body: buf.toString('utf8', start, start + length), length: start + length, close };
  }
  if (/\r\ntransfer-encoding: *chunked/.test(lower)) {
    const parts = [];
    let at = start;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (buf.length < lineEnd + 2 + size + 2) return null;
      if (size === 0) return { status, body: parts.join(''), length: lineEnd + 4, close };
      parts.push(buf.toString('utf8', lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  return { status, body: '', length: start, close };
}
