/** @keyturn/server: the token server as a library (the `keyturn` command uses the same parts). */
export { loadConfig, type ServerConfig, type ConfigFlags } from './config.js';
export { startServer, type RunningServer, type StartOptions } from './app.js';
export { createKeyturn } from './compose.js';
export type { Keyturn } from './domain/context.js';
export { addClient, removeClient, type NewClient } from './domain/clients.js';
export { createUser } from './domain/users.js';
export { KeyturnError, OAuthError, ClientAuthError, SignInError, ManagementError, AuthorizeRequestError, ScopeError, KeyError, type ServerErrorCode, type OAuthErrorCode } from './domain/errors.js';
export type { Repository } from './storage/repository.js';
