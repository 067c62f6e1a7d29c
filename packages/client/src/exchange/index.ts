/** psn-api compatible exchange functions, with their send and parse halves. */
export { exchangeNpssoForAccessCode, exchangeNpssoForCode } from './exchangeNpssoForAccessCode.js';
export { exchangeAccessCodeForAuthTokens, exchangeCodeForAccessToken } from './exchangeAccessCodeForAuthTokens.js';
export { exchangeRefreshTokenForAuthTokens } from './exchangeRefreshTokenForAuthTokens.js';
export { authorizationRequest } from './authorizationRequest.js';
export { processAuthorizationResponse } from './processAuthorizationResponse.js';
export { authorizationCodeGrantRequest } from './authorizationCodeGrantRequest.js';
export { processAuthorizationCodeResponse } from './processAuthorizationCodeResponse.js';
export { refreshTokenGrantRequest } from './refreshTokenGrantRequest.js';
export { processRefreshTokenResponse } from './processRefreshTokenResponse.js';
export { keyturnServer, type KeyturnClient, type KeyturnServerOptions } from './keyturnServer.js';
export { discoverKeyturnServer } from './discoverKeyturnServer.js';
export type * from './types.js';
export { deviceAuthorizationRequest } from './deviceAuthorizationRequest.js';
export { processDeviceAuthorizationResponse } from './processDeviceAuthorizationResponse.js';
export { deviceCodeGrantRequest } from './deviceCodeGrantRequest.js';
export { processDeviceCodeResponse } from './processDeviceCodeResponse.js';
export { pollDeviceToken } from './pollDeviceToken.js';
export type * from './deviceTypes.js';
