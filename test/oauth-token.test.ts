import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateResourceServerCommand, CreateUserPoolClientCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import * as oidc from 'openid-client';
import { createPool } from './helpers/pools.js';
import { httpJwksCache, postForm, startOAuthTessera } from './helpers/oauth.js';
import { storeKinds, type TestServer } from './helpers/server.js';

/** POST with an explicit Host header (the user pool domain a request is for). */
function rawPost(url: string, host: string, body: string, authorization: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { host, authorization, 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (const kind of storeKinds()) {
  describe(`OAuth token endpoint: client credentials (${kind})`, () => {
    let t: TestServer;
    let c: CognitoIdentityProviderClient;
    let poolId: string;
    let m2m: { id: string; secret: string };
    let publicClient: string;
    before(async () => {
      t = await startOAuthTessera(kind);
      c = t.client();
      poolId = await createPool(c, 'oauth-m2m');
      const scopes = ['read', 'write'].map((n) => ({ ScopeName: n, ScopeDescription: n }));
      await c.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: scopes }));
      const r = await c.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'm2m',
          GenerateSecret: true,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthScopes: ['https://api.example.com/read', 'https://api.example.com/write'],
          AccessTokenValidity: 10,
          TokenValidityUnits: { AccessToken: 'minutes' },
        }),
      );
      m2m = { id: r.UserPoolClient?.ClientId ?? '', secret: r.UserPoolClient?.ClientSecret ?? '' };
      const p = await c.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'public' }));
      publicClient = p.UserPoolClient?.ClientId ?? '';
    });
    after(() => t.close());

    const tokenUrl = () => `${t.endpoint}/oauth2/token`;

    it('openid-client discovers the pool and gets a client_credentials token with a custom scope; aws-jwt-verify accepts it', async () => {
      const issuer = `${t.endpoint}/${poolId}`;
      const config = await oidc.discovery(new URL(issuer), m2m.id, m2m.secret, undefined, { execute: [oidc.allowInsecureRequests] });
      assert.equal(config.serverMetadata().token_endpoint, tokenUrl());
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'https://api.example.com/read' });
      assert.equal(tokens.token_type.toLowerCase(), 'bearer');
      assert.equal(tokens.expires_in, 600);
      assert.equal(tokens.id_token, undefined);
      assert.equal(tokens.refresh_token, undefined);
      const verifier = JwtRsaVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` }, { jwksCache: httpJwksCache() });
      const claims = await verifier.verify(tokens.access_token);
      assert.equal(claims.sub, m2m.id);
      assert.equal(claims.client_id, m2m.id);
      assert.equal(claims.token_use, 'access');
      assert.equal(claims.scope, 'https://api.example.com/read');
    });

    it('takes client_secret_post, and grants every allowed scope when none is asked for', async () => {
      const r = await postForm(tokenUrl(), { grant_type: 'client_credentials', client_id: m2m.id, client_secret: m2m.secret });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      const token = String(r.body.access_token);
      const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
      assert.ok(typeof payload === 'object' && payload !== null && 'scope' in payload);
      assert.equal(payload.scope, 'https://api.example.com/read https://api.example.com/write');
    });

    it('refuses a wrong secret, an unknown scope, an unknown grant and a client without the flow (RFC 6749 errors)', async () => {
      const wrong = await postForm(tokenUrl(), { grant_type: 'client_credentials' }, { id: m2m.id, secret: 'nope' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error, 'invalid_client');
      assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic/);
      const post = await postForm(tokenUrl(), { grant_type: 'client_credentials', client_id: m2m.id, client_secret: 'nope' });
      assert.equal(post.status, 400);
      assert.equal(post.body.error, 'invalid_client');
      const scope = await postForm(tokenUrl(), { grant_type: 'client_credentials', scope: 'https://api.example.com/admin' }, m2m);
      assert.equal(scope.status, 400);
      assert.equal(scope.body.error, 'invalid_scope');
      const grant = await postForm(tokenUrl(), { grant_type: 'password', username: 'x', password: 'y' }, m2m);
      assert.equal(grant.body.error, 'unsupported_grant_type');
      const missing = await postForm(tokenUrl(), {}, m2m);
      assert.equal(missing.body.error, 'invalid_request');
      const pub = await postForm(tokenUrl(), { grant_type: 'client_credentials', client_id: publicClient });
      assert.equal(pub.body.error, 'unauthorized_client');
      const unknown = await postForm(tokenUrl(), { grant_type: 'client_credentials', client_id: 'nosuchclient' });
      assert.equal(unknown.body.error, 'invalid_client');
    });

    it('serves the token endpoint on the pool domain host and refuses other pools\' clients there', async () => {
      const { CreateUserPoolDomainCommand } = await import('@aws-sdk/client-cognito-identity-provider');
      await c.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `m2m-${kind}` }));
      const otherPool = await createPool(c, 'other');
      const other = await c.send(
        new CreateUserPoolClientCommand({ UserPoolId: otherPool, ClientName: 'other', GenerateSecret: true }),
      );
      const host = `m2m-${kind}.auth.us-east-1.localhost`;
      // fetch (undici) will not send another Host; node:http will.
      const viaDomain = (basic: { id: string; secret: string }, hostName = host) =>
        rawPost(`${tokenUrl()}`, hostName, 'grant_type=client_credentials', `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString('base64')}`);
      assert.equal((await viaDomain(m2m)).status, 200);
      const foreign = await viaDomain({ id: other.UserPoolClient?.ClientId ?? '', secret: other.UserPoolClient?.ClientSecret ?? '' });
      assert.equal(foreign.status, 401);
      assert.match(foreign.body, /invalid_client/);
      const cert = 'arn:aws:acm:us-east-1:123456789012:certificate/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222';
      await c.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `login.${kind}.example.com`, CustomDomainConfig: { CertificateArn: cert } }));
      assert.equal((await viaDomain(m2m, `login.${kind}.example.com`)).status, 200, 'a custom domain is served by its name');
      assert.equal((await viaDomain({ id: other.UserPoolClient?.ClientId ?? '', secret: other.UserPoolClient?.ClientSecret ?? '' }, `login.${kind}.example.com`)).status, 401);
      const res = await viaDomain(m2m, 'nope.auth.us-east-1.localhost');
      assert.equal(res.status, 404, 'an unknown prefix domain is not served');
    });
  });
}
