/** POSTs a form to `{baseUrl}/token` with the client's authentication (Basic, or `client_id` when public). */
import type { ExchangeOptions } from '../exchange/types.js';
import { basicAuthorization, resolveClient } from './options.js';
import { send } from './send.js';

export async function tokenRequest(params: URLSearchParams, options: ExchangeOptions): Promise<Response> {
  const client = resolveClient(options);
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (client.clientSecret !== undefined) {
    headers.Authorization = basicAuthorization(client.clientId, client.clientSecret);
  } else {
    params.set('client_id', client.clientId);
  }
  return send(`${client.baseUrl}/token`, { method: 'POST', headers, body: params.toString() }, options);
}
