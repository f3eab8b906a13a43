import type { OperationHandler } from '../operation.js';
import { authOperations } from './auth/index.js';
import { clientOperations } from './clients/index.js';
import { deviceOperations } from './devices/index.js';
import { groupOperations } from './groups/index.js';
import { oauthOperations } from './oauth/index.js';
import { poolOperations } from './pools/index.js';
import { riskOperations } from './risk/index.js';
import { selfOperations } from './self/index.js';
import { mfaOperations } from './mfa/index.js';
import { tagOperations } from './tags/index.js';
import { userOperations } from './users/index.js';
import { webAuthnOperations } from './webauthn/index.js';

/** Every implemented operation by name. Model operations missing here answer UnsupportedOperationException. */
export const operations: ReadonlyMap<string, OperationHandler> = new Map(
  Object.entries({
    ...poolOperations,
    ...clientOperations,
    ...groupOperations,
    ...tagOperations,
    ...userOperations,
    ...selfOperations,
    ...mfaOperations,
    ...authOperations,
    ...deviceOperations,
    ...webAuthnOperations,
    ...riskOperations,
    ...oauthOperations,
  }),
);
