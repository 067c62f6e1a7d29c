/** What the authorization endpoint says (page, or JSON `error` and text) for each request it cannot send back to the client. */
import type { AuthorizeRequestErrorCode } from '../../domain/errors.js';

export const AUTHORIZE_ERROR_TEXT: Record<AuthorizeRequestErrorCode, { title: string; detail: string; error: 'invalid_client' | 'invalid_request' }> = {
  ERR_MISSING_CLIENT: { title: 'Missing client', detail: 'The request does not name a client (client_id).', error: 'invalid_request' },
  ERR_UNKNOWN_CLIENT: { title: 'Unknown client', detail: 'This application is not registered with Keyturn.', error: 'invalid_client' },
  ERR_MISSING_REDIRECT_URI: { title: 'Missing redirect URI', detail: 'The request must name one of the registered redirect URIs.', error: 'invalid_request' },
  ERR_UNREGISTERED_REDIRECT_URI: { title: 'Unregistered redirect URI', detail: 'The redirect URI is not registered for this application.', error: 'invalid_request' },
};
