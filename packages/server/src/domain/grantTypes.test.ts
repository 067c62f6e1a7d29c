/** Grant types of a client: the names `--grant-types` takes, the default, and the check the endpoints make. */
import { describe, expect, it } from 'vitest';
import { aClient, refusal, useDomainContext } from '../test-support/domain.js';
import { allowsGrant, DEVICE_CODE_GRANT, parseGrantTypes, requireGrant, shortGrantType } from './grantTypes.js';

describe('grant types', () => {
  const t = useDomainContext();

  it('takes short names or full URNs, drops repeats and keeps the server order', () => {
    expect(parseGrantTypes(['device_code', 'refresh_token', 'authorization_code'])).toEqual(['authorization_code', 'refresh_token', DEVICE_CODE_GRANT]);
    expect(parseGrantTypes([DEVICE_CODE_GRANT, ' device_code '])).toEqual([DEVICE_CODE_GRANT]);
    expect(shortGrantType(DEVICE_CODE_GRANT)).toBe('device_code');
  });

  it('refuses an unknown name, an empty list, and refresh_token alone', () => {
    expect(() => parseGrantTypes(['password'])).toThrow('unknown grant type "password": use authorization_code, refresh_token, device_code (or the full URN)');
    expect(() => parseGrantTypes(['', ' '])).toThrow('name at least one grant type');
    expect(() => parseGrantTypes(['refresh_token'])).toThrow('refresh_token alone cannot start a sign-in: add authorization_code or device_code');
  });

  it('gives a client registered without grant types the code and refresh grants only', async () => {
    expect(t.client.grantTypes).toEqual(['authorization_code', 'refresh_token']);
    expect(allowsGrant(t.client, DEVICE_CODE_GRANT)).toBe(false);
    expect(() => requireGrant(t.client, DEVICE_CODE_GRANT)).toThrow(expect.objectContaining(refusal('unauthorized_client', 'this client may not use the device_code grant (keyturn client add --grant-types)')));
    const { client: tv } = await aClient(t.kt, { grantTypes: ['device_code'] });
    expect(tv.grantTypes).toEqual([DEVICE_CODE_GRANT]);
    expect(() => requireGrant(tv, 'authorization_code')).toThrow(expect.objectContaining({ error: 'unauthorized_client' }));
    expect(() => requireGrant(tv, DEVICE_CODE_GRANT)).not.toThrow();
  });
});
