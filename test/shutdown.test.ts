import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { AdminCreateUserCommand, CreateUserPoolCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { argon2idHasher } from '../src/crypto/password-hash.js';
import { startTessera } from './helpers/server.js';

describe('graceful shutdown', () => {
  it('finishes requests in flight on keep-alive sockets and closes promptly', async () => {
    // A hasher that takes 400 ms keeps AdminCreateUser requests in flight while close() starts.
    const real = argon2idHasher();
    const slow = { hash: async (p: string) => (await new Promise((r) => setTimeout(r, 400)), real.hash(p)), verify: real.verify };
    const t = await startTessera({ overrides: { hasher: slow } });
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const c = new CognitoIdentityProviderClient({
      endpoint: t.endpoint,
      region: t.region,
      credentials: t.credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    });
    const poolId = (await c.send(new CreateUserPoolCommand({ PoolName: 'drain' }))).UserPool?.Id ?? '';
    const inFlight = Array.from({ length: 8 }, (_, i) =>
      c.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `u${i}`, MessageAction: 'SUPPRESS', TemporaryPassword: 'Passw0rd!' })),
    );
    await new Promise((r) => setTimeout(r, 150));
    const started = Date.now();
    await t.app.close();
    const took = Date.now() - started;
    const results = await Promise.allSettled(inFlight);
    c.destroy();
    agent.destroy();
    const ok = results.filter((r) => r.status === "fulfilled").length;
    assert.equal(ok, inFlight.length, 'every request that had arrived was answered');
    assert.ok(took < 2000, `close took ${took} ms (keep-alive sockets must not hold it for the idle timeout)`);
  });
});
