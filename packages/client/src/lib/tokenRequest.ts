/** POSTs a form to `{baseUrl}/token` (or another endpoint under it) with the client's authentication (Basic, or `client_id` when public). */
import type { ExchangeOptions } from '../exchange/types.js';
import { basicAuthorization, isPlayStation, resolveClient } from './options.js';
import { send } from './send.js';

export async function tokenRequest(
  params: URLSearchParams,
  options: ExchangeOptions,
  endpoint: 'token' | 'device_authorization' = 'token',
): Promise<Response> {
  const client = resolveClient(options);
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  // PlayStation gets exactly psn-api's headers; other servers are told we read JSON.
  if (!isPlayStation(client.baseUrl)) headers.Accept = 'application/json';
  if (client.clientSecret !== undefined) {
    headers.Authorization = basicAuthorization(client.clientId, client.clientSecret);
  } else {
    params.set('client_id', client.clientId);
  }
  return send(`${client.baseUrl}/${endpoint}`, { method: 'POST', headers, body: params.toString() }, options);
}
