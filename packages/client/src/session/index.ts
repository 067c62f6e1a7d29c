/** The self-refreshing session. */
export { AuthSession } from './AuthSession.js';
export { toStoredTokens } from './toStoredTokens.js';
export type * from './types.js';
