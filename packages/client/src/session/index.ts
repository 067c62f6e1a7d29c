/** The self-refreshing session. */
export { AuthSession } from './authSession.js';
export { toStoredTokens } from './toStoredTokens.js';
export type * from './types.js';
