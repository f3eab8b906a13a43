import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildClientDoc, explicitAuthFlowsOf, tokenLifetimes, type ClientContext } from '../../src/domain/client-config.js';
import { Input } from '../../src/domain/input.js';
import { STANDARD_ATTRIBUTES } from '../../src/domain/schema-attributes.js';

const ctx: ClientContext = { op: 'create', schema: STANDARD_ATTRIBUTES, hasSecret: false, providerExists: () => false, customScopeExists: () => false };
const build = (req: Record<string, unknown>) => buildClientDoc(new Input(req), ctx);

describe('client-config', () => {
  it('gives the documented token lifetimes by default: 1 hour, 1 hour, 30 days', () => {
    assert.deepEqual(tokenLifetimes(build({})), { accessSeconds: 3600, idSeconds: 3600, refreshSeconds: 30 * 86400 });
  });

  it('reads lifetimes in their units, with hours and days as the default units', () => {
    const doc = build({ AccessTokenValidity: 2, IdTokenValidity: 30, RefreshTokenValidity: 90, TokenValidityUnits: { IdToken: 'minutes', RefreshToken: 'minutes' } });
    assert.deepEqual(tokenLifetimes(doc), { accessSeconds: 7200, idSeconds: 1800, refreshSeconds: 5400 });
  });

  it('accepts the range edges and refuses just outside them', () => {
    assert.doesNotThrow(() => build({ AccessTokenValidity: 300, TokenValidityUnits: { AccessToken: 'seconds' } }));
    assert.doesNotThrow(() => build({ RefreshTokenValidity: 3650 }));
    assert.throws(() => build({ AccessTokenValidity: 299, TokenValidityUnits: { AccessToken: 'seconds' } }), { message: 'Invalid range for token validity.' });
    assert.throws(() => build({ RefreshTokenValidity: 3599, TokenValidityUnits: { RefreshToken: 'seconds' } }), { message: 'Invalid range for token validity.' });
  });

  it('defaults the auth flows and keeps the ones given', () => {
    assert.deepEqual(explicitAuthFlowsOf(build({})), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']);
    assert.deepEqual(explicitAuthFlowsOf(build({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })), ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('refuses an http logout URL to a non-loopback host but takes loopback ones', () => {
    assert.doesNotThrow(() => build({ LogoutURLs: ['http://127.0.0.1:8080/bye', 'http://[::1]/bye'] }));
    assert.throws(() => build({ LogoutURLs: ['http://localhost.evil.example/bye'] }), { name: 'InvalidParameterException' });
  });
});
