// Real flows over HTTP, as a browser and an app do them: Keyturn's sign-in form, authorize and
// code exchange; oidc-provider's authorize, interaction and code exchange. The bench uses them to
// obtain the peer's refresh tokens, Keyturn's codes, and one answer of each kind to describe.
export const TOKEN_FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export const basic = (c) => `Basic ${Buffer.from(`${encodeURIComponent(c.id)}:${encodeURIComponent(c.secret)}`).toString('base64')}`;

/** `count` results of `flow(i)`, `concurrency` at a time. */
export async function many(count, concurrency, flow) {
  const out = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await flow(i);
      }
    }),
  );
  return out;
}

/** The code grant's token request (client_secret_basic); resolves the JSON answer, throws unless 200. */
export async function exchangeCode(tokenUrl, client, code, redirect) {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { ...TOKEN_FORM, authorization: basic(client) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect }).toString(),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`code exchange answered ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Signs in through Keyturn's form as a browser does and returns the npsso cookie's value. */
export async function keyturnSignIn(url, user) {
  const form = await fetch(`${url}/signin`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('kt_csrf='));
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const res = await fetch(`${url}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...TOKEN_FORM, cookie },
    body: new URLSearchParams({ email: user.email, password: user.password, csrf }).toString(),
  });
  const npsso = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('npsso='));
  if (res.status !== 303 || !npsso) throw new Error(`sign-in failed: ${res.status}`);
  return npsso.slice('npsso='.length);
}

/** One authorization code of Keyturn for `client` (offline: a refresh token comes with it). */
export async function keyturnCode(url, npsso, client, redirect) {
  const query = new URLSearchParams({ client_id: client.id, redirect_uri: redirect, response_type: 'code', scope: client.scope, access_type: 'offline' });
  const res = await fetch(`${url}/api/authz/v3/oauth/authorize?${query}`, { redirect: 'manual', headers: { cookie: `npsso=${npsso}` } });
  const code = new URL(res.headers.get('location') ?? 'x:').searchParams.get('code');
  if (!code) throw new Error(`authorize answered ${res.status} without a code`);
  return code;
}

/**
 * oidc-provider's code flow: authorize, the interaction (answered by the peer's handler) unless
 * the browser's cookies in `jar` already hold a session with a grant, then the code exchange.
 */
export async function peerTokens(url, client, redirect, jar = new Map()) {
  const get = async (target) => {
    const res = await fetch(new URL(target, url), { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    await res.arrayBuffer();
    return res;
  };
  const query = new URLSearchParams({ client_id: client.id, redirect_uri: redirect, response_type: 'code', scope: client.scope });
  let res = await get(`/auth?${query}`);
  for (let hops = 0; hops < 5 && !res.headers.get('location')?.startsWith(redirect); hops++) {
    if (res.status < 300 || res.status > 303) throw new Error(`oidc-provider flow stopped at ${res.status}`);
    res = await get(res.headers.get('location'));
  }
  const code = new URL(res.headers.get('location') ?? 'x:').searchParams.get('code');
  if (!code) throw new Error(`oidc-provider redirected without a code: ${res.headers.get('location')}`);
  return exchangeCode(`${url}/token`, client, code, redirect);
}
