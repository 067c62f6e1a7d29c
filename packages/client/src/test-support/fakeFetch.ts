/** A `fetch` that records requests and answers from a handler: exchange tests without a network. */

export interface RecordedRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: URLSearchParams;
  redirect: RequestInit['redirect'];
}

export type Handler = (req: RecordedRequest) => Response | Promise<Response>;

export function fakeFetch(handler: Handler): typeof fetch & { requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const f = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req: RecordedRequest = {
      url: new URL(String(input)),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: new URLSearchParams(typeof init?.body === 'string' ? init.body : ''),
      redirect: init?.redirect,
    };
    requests.push(req);
    init?.signal?.throwIfAborted();
    return handler(req);
  };
  return Object.assign(f as typeof fetch, { requests });
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function tokenBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access_token: 'at-1',
    token_type: 'bearer',
    expires_in: 3600,
    scope: 'psn:mobile.v2.core psn:clientapp',
    id_token: 'id-1',
    refresh_token: 'rt-1',
    refresh_token_expires_in: 5_183_999,
    ...overrides,
  };
}

/** A redirect answer, as `/authorize` gives. */
export function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { location } });
}

/** psn-api's hard-coded Basic header: PlayStation's client id and secret. */
export const PSN_BASIC = 'Basic MDk1MTUxNTktNzIzNy00MzcwLTliNDAtMzgwNmU2N2MwODkxOnVjUGprYTV0bnRCMktxc1A=';

/** A handler for a whole sign-in: `/authorize` redirects to `location`, every other request gets tokens. */
export function signInAnswers(location: string): Handler {
  return (req) => (req.url.pathname.endsWith('/authorize') ? redirect(location) : json(tokenBody()));
}
