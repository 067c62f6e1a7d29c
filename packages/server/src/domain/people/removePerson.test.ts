/** Removing a person: everything of theirs goes at once, their audit trail stays. */
import { describe, expect, it } from 'vitest';
import { auditTypes } from '../../test-support/audit.js';
import { aGrant, refusal, useDomainContext } from '../../test-support/domain.js';
import { refreshTokens } from '../tokens/refresh.js';
import { verifyAccessToken } from '../tokens/verifyAccessToken.js';
import { removePerson } from './removePerson.js';

describe('removePerson', () => {
  const t = useDomainContext();

  it('deletes the person with their grants and sessions, and keeps their audit trail under their email', async () => {
    const { tokens, refreshToken, grant } = await aGrant(t.kt, t.client, t.person);
    expect(await removePerson(t.kt, ` ${t.person.email} `)).toMatchObject({ id: t.person.user.id, email: t.person.email });
    expect(await t.kt.repo.findUserById(t.person.user.id)).toBeNull();
    expect(await t.kt.repo.getGrant(grant.id)).toBeNull();
    expect(await verifyAccessToken(t.kt, tokens.access_token)).toBeNull();
    await expect(refreshTokens(t.kt, t.client, { refreshToken })).rejects.toMatchObject(refusal('invalid_grant', 'the refresh token is invalid'));
    expect(await auditTypes(t.kt, { email: t.person.email })).toEqual(['user.added', 'signin.succeeded', 'grant.issued', 'user.removed']);
  });

  it('refuses an email nobody has, and a second removal', async () => {
    await removePerson(t.kt, t.person.email);
    await expect(removePerson(t.kt, t.person.email)).rejects.toMatchObject({ code: 'ERR_NOT_FOUND', message: `no user with email ${t.person.email}` });
  });
});
