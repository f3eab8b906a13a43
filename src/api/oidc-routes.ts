import type { FastifyInstance, FastifyReply } from 'fastify';
import { CognitoError } from '../domain/errors.js';
import { regionOfPoolId, type Pool } from '../services/pools.js';
import type { Services } from '../services/services.js';

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

/**
 * The issuer's public documents (`<public URL>/<poolId>/.well-known/...`), as Cognito serves them on its
 * regional host (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
 * the JWKS with the pool's signing keys, and the OpenID Connect discovery document.
 */
export function registerOidcRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/jwks.json', async (req, reply) => {
    const pool = await findPool(services, req.params.poolId);
    if (!pool) return notFound(reply, req.params.poolId);
    return json(reply, await services.tokens.keys.jwks(pool.id));
  });

  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/openid-configuration', async (req, reply) => {
    const pool = await findPool(services, req.params.poolId);
    if (!pool) return notFound(reply, req.params.poolId);
    const issuer = services.tokens.issuer(pool.id);
    // The OAuth endpoints serve every pool on the server's own origin (the client id names the pool) as well
    // as on the pool's domains; the document lists exactly what is implemented (oauth/routes.ts, hosted/).
    const base = services.deps.config.publicUrl;
    return json(reply, {
      authorization_endpoint: `${base}/oauth2/authorize`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'implicit'],
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${base}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${base}/oauth2/userInfo`,
    });
  });
}

async function findPool(services: Services, poolId: string): Promise<Pool | undefined> {
  if (!POOL_ID.test(poolId)) return undefined;
  try {
    return await services.pools.get({ region: regionOfPoolId(poolId), requestId: '' }, poolId);
  } catch (err) {
    if (err instanceof CognitoError && err.type === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

function json(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).header('content-type', 'application/json').header('cache-control', 'max-age=300').send(JSON.stringify(body));
}

function notFound(reply: FastifyReply, poolId: string): FastifyReply {
  return reply.code(404).header('content-type', 'application/json').send(JSON.stringify({ message: `User pool ${poolId} does not exist.` }));
}
