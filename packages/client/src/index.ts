export {};
// Exchange (psn-api compatible), session and errors.
export * from './exchange/index.js';
export * from './session/index.js';
export * from './errors.js';
export { createPkcePair, codeChallengeS256 } from './lib/pkce.js';
export { decodeJwtPayload } from './lib/decodeJwtPayload.js';
export { PSN_BASE_URL, PSN_CLIENT_ID, PSN_REDIRECT_URI, PSN_SCOPE, OAUTH_PATH } from './lib/constants.js';
