import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowAllowed, flowNotEnabled, lockoutMs } from '../../src/domain/auth-flows.js';

describe('ExplicitAuthFlows', () => {
  it('ALLOW_ names permit exactly the flows they name', () => {
    const flows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
    assert.equal(flowAllowed(flows, 'USER_SRP_AUTH'), true);
    assert.equal(flowAllowed(flows, 'REFRESH_TOKEN_AUTH'), true);
    assert.equal(flowAllowed(flows, 'USER_PASSWORD_AUTH'), false);
    assert.equal(flowAllowed(flows, 'ADMIN_USER_PASSWORD_AUTH'), false);
    assert.equal(flowAllowed(['ALLOW_ADMIN_USER_PASSWORD_AUTH'], 'ADMIN_USER_PASSWORD_AUTH'), true);
  });

  it('legacy names always had SRP and refresh, unless CUSTOM_AUTH_FLOW_ONLY', () => {
    assert.equal(flowAllowed(['ADMIN_NO_SRP_AUTH'], 'USER_SRP_AUTH'), true);
    assert.equal(flowAllowed(['ADMIN_NO_SRP_AUTH'], 'REFRESH_TOKEN_AUTH'), true);
    assert.equal(flowAllowed(['ADMIN_NO_SRP_AUTH'], 'ADMIN_USER_PASSWORD_AUTH'), true);
    assert.equal(flowAllowed(['ADMIN_NO_SRP_AUTH'], 'USER_PASSWORD_AUTH'), false);
    assert.equal(flowAllowed(['USER_PASSWORD_AUTH'], 'USER_PASSWORD_AUTH'), true);
    assert.equal(flowAllowed(['CUSTOM_AUTH_FLOW_ONLY'], 'USER_SRP_AUTH'), false);
  });

  it("answers with Cognito's wording per flow", () => {
    assert.equal(flowNotEnabled('USER_PASSWORD_AUTH').message, 'USER_PASSWORD_AUTH flow not enabled for this client');
    assert.equal(flowNotEnabled('USER_SRP_AUTH').message, 'USER_SRP_AUTH is not enabled for the client.');
    assert.equal(flowNotEnabled('ADMIN_USER_PASSWORD_AUTH').message, 'Auth flow not enabled for this client');
    assert.equal(flowNotEnabled('USER_SRP_AUTH').type, 'InvalidParameterException');
  });
});

describe('lockout', () => {
  it('starts at the 5th failure with 1 s, doubles, and stops at 15 minutes', () => {
    assert.deepEqual([0, 1, 4].map(lockoutMs), [0, 0, 0]);
    assert.deepEqual([5, 6, 7, 14].map(lockoutMs), [1_000, 2_000, 4_000, 512_000]);
    assert.equal(lockoutMs(15), 900_000);
    assert.equal(lockoutMs(40), 900_000);
  });
});
