/**
 * A stand-in for a server's device sign-in endpoints (RFC 8628) over real HTTP, scripted per
 * poll: the CLI's unit tests run `keyturn login --device` against it, in or out of process.
 * (The real server's endpoints are tested end to end in cli/loginDevice.e2e.test.ts.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** `[status, JSON body]` of one answer. */
export type FakeAnswer = [number, Record<string, unknown>];

export interface FakeDeviceEndpoint {
  /** The origin, for `--server`. */
  url: string;
  /** How many polls reached the token endpoint. */
  polls(): number;
  close(): Promise<void>;
}

export interface FakeDeviceOptions {
  /** The device authorization answer (default: 200 with codes, `interval` 1, `expires_in` 600). */
  authorization?: (url: string) => FakeAnswer;
  /** The answer to poll number `n` (from 1). */
  poll: (n: number) => FakeAnswer;
}

/** An unsigned JWT carrying `claims`: what the CLI decodes for "Signed in as …" (display only). */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

/** A token answer as the real server gives one, for `email`. */
export function deviceTokens(email: string): FakeAnswer {
  const idToken = unsignedJwt({ sub: 'user-1', email });
  return [200, { access_token: unsignedJwt({ sub: 'user-1' }), token_type: 'Bearer', expires_in: 3600, scope: 'openid email', id_token: idToken, refresh_token: 'rt-fake-0123456789', refresh_token_expires_in: 5_184_000 }];
}

export const PENDING: FakeAnswer = [400, { error: 'authorization_pending' }];

/** The codes the fake hands out, with verification URIs on its own origin. */
export function deviceCodes(url: string, overrides: Record<string, unknown> = {}): FakeAnswer {
  return [200, { device_code: 'dc-fake-0123456789', user_code: 'WDJB-MJHT', verification_uri: `${url}/device`, verification_uri_complete: `${url}/device?user_code=WDJB-MJHT`, expires_in: 600, interval: 1, ...overrides }];
}

export async function fakeDeviceEndpoint(options: FakeDeviceOptions): Promise<FakeDeviceEndpoint> {
  let polls = 0;
  let url = '';
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      let answer: FakeAnswer = [404, { error: 'not_found' }];
      if (req.method === 'POST' && req.url === '/api/authz/v3/oauth/device_authorization') answer = (options.authorization ?? deviceCodes)(url);
      if (req.method === 'POST' && req.url === '/api/authz/v3/oauth/token') answer = options.poll((polls += 1));
      res.writeHead(answer[0], { 'content-type': 'application/json' }).end(JSON.stringify(answer[1]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    polls: () => polls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
