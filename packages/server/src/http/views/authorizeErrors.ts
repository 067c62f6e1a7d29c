/** What the authorization endpoint's error page says for each request it cannot send back to the client. */
import type { AuthorizeRequestErrorCode } from '../../domain/errors.js';

export const AUTHORIZE_ERROR_TEXT: Record<AuthorizeRequestErrorCode, { title: string; detail: string }> = {
  ERR_MISSING_CLIENT: { title: 'Missing client', detail: 'The request does not name a client (client_id).' },
  ERR_UNKNOWN_CLIENT: { title: 'Unknown client', detail: 'This application is not registered with Keyturn.' },
  ERR_MISSING_REDIRECT_URI: { title: 'Missing redirect URI', detail: 'The request must name one of the registered redirect URIs.' },
  ERR_UNREGISTERED_REDIRECT_URI: { title: 'Unregistered redirect URI', detail: 'The redirect URI is not registered for this application.' },
};
