#!/usr/bin/env python3
"""Every sign-in flow through boto3, happy and error paths.

USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, USER_SRP_AUTH (InitiateAuth and
AdminInitiateAuth, with an SRP client written here from the published description, independent of the
server's code and of amazon-cognito-identity-js), REFRESH_TOKEN_AUTH / REFRESH_TOKEN,
GetTokensFromRefreshToken and NEW_PASSWORD_REQUIRED; SECRET_HASH on and off; PreventUserExistenceErrors on
and off; ExplicitAuthFlows; the lockout after repeated failures and the recovery after it.

Environment: TESSERA_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION. Every step
asserts its result; the script prints a step log and exits 1 on failure.
"""
import json
import time

from tessera_client import SrpExchange, client, expect_error, run, secret_hash, step

PASSWORD = 'Corr3ct-Horse!'


class Srp(SrpExchange):
    """A user's SRP sign-in: the realm is the pool name (the part of the pool id after the region)."""

    def __init__(self, pool_id):
        super().__init__()
        self.pool_name = pool_id.split('_', 1)[1]

    def answer(self, params, password, timestamp=None):
        user_id = params['USER_ID_FOR_SRP']
        sig, ts = self.claim(params, self.pool_name, user_id, password, timestamp)
        return {'USERNAME': user_id, 'PASSWORD_CLAIM_SECRET_BLOCK': params['SECRET_BLOCK'], 'TIMESTAMP': ts,
                'PASSWORD_CLAIM_SIGNATURE': sig}


def tokens_ok(r, refresh=True):
    a = r['AuthenticationResult']
    assert a['TokenType'] == 'Bearer' and a['ExpiresIn'] == 3600, a
    assert a['AccessToken'].count('.') == 2 and a['IdToken'].count('.') == 2
    assert ('RefreshToken' in a) == refresh, a.keys()
    assert r.get('ChallengeParameters') == {}, r.get('ChallengeParameters')
    return a


def main():
    step('pool with an email alias, four app clients')
    pool_id = client.create_user_pool(PoolName='signin', AliasAttributes=['email'])['UserPool']['Id']
    flows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']

    def app(**kw):
        c = client.create_user_pool_client(UserPoolId=pool_id, ClientName='app', **kw)['UserPoolClient']
        return c['ClientId'], c.get('ClientSecret')

    public, _ = app(ExplicitAuthFlows=flows)
    hiding, _ = app(ExplicitAuthFlows=flows, PreventUserExistenceErrors='ENABLED')
    confidential, secret = app(ExplicitAuthFlows=flows, GenerateSecret=True)
    legacy, _ = app(ExplicitAuthFlows=['ADMIN_NO_SRP_AUTH'])
    default_flows, _ = app()
    client.admin_create_user(UserPoolId=pool_id, Username='alice', MessageAction='SUPPRESS',
                             UserAttributes=[{'Name': 'email', 'Value': 'alice@example.com'},
                                             {'Name': 'email_verified', 'Value': 'true'}])
    client.admin_set_user_password(UserPoolId=pool_id, Username='alice', Password=PASSWORD, Permanent=True)

    for name, cid, sec in (('without SECRET_HASH', public, None), ('with SECRET_HASH', confidential, secret)):
        step(f'USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH {name}')
        r = client.initiate_auth(ClientId=cid, AuthFlow='USER_PASSWORD_AUTH',
                                 AuthParameters={'USERNAME': 'alice', 'PASSWORD': PASSWORD, **secret_hash(sec, 'alice', cid)})
        refresh_token = tokens_ok(r)['RefreshToken']
        for flow in ('ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'):
            tokens_ok(client.admin_initiate_auth(UserPoolId=pool_id, ClientId=cid, AuthFlow=flow,
                                                 AuthParameters={'USERNAME': 'alice@example.com', 'PASSWORD': PASSWORD,
                                                                 **secret_hash(sec, 'alice@example.com', cid)}))

        step(f'USER_SRP_AUTH → PASSWORD_VERIFIER {name} (InitiateAuth and AdminInitiateAuth)')
        for admin in (False, True):
            srp = Srp(pool_id)
            params = {'USERNAME': 'alice', 'SRP_A': srp.srp_a(), **secret_hash(sec, 'alice', cid)}
            if admin:
                c1 = client.admin_initiate_auth(UserPoolId=pool_id, ClientId=cid, AuthFlow='USER_SRP_AUTH', AuthParameters=params)
            else:
                c1 = client.initiate_auth(ClientId=cid, AuthFlow='USER_SRP_AUTH', AuthParameters=params)
            assert c1['ChallengeName'] == 'PASSWORD_VERIFIER', c1
            cp = c1['ChallengeParameters']
            assert cp['USER_ID_FOR_SRP'] == 'alice' and cp['USERNAME'] == 'alice', cp
            answer = {**srp.answer(cp, PASSWORD), **secret_hash(sec, 'alice', cid)}
            if admin:
                r = client.admin_respond_to_auth_challenge(UserPoolId=pool_id, ClientId=cid, ChallengeName='PASSWORD_VERIFIER',
                                                           ChallengeResponses=answer)
            else:
                r = client.respond_to_auth_challenge(ClientId=cid, ChallengeName='PASSWORD_VERIFIER', ChallengeResponses=answer)
            tokens_ok(r)

        step(f'REFRESH_TOKEN_AUTH, REFRESH_TOKEN and GetTokensFromRefreshToken {name}')
        for flow in ('REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'):
            tokens_ok(client.initiate_auth(ClientId=cid, AuthFlow=flow,
                                           AuthParameters={'REFRESH_TOKEN': refresh_token, **secret_hash(sec, 'alice', cid)}),
                      refresh=False)
        extra = {} if sec is None else {'ClientSecret': sec}
        g = client.get_tokens_from_refresh_token(ClientId=cid, RefreshToken=refresh_token, **extra)
        assert g['AuthenticationResult']['AccessToken'].count('.') == 2

    step('errors: wrong password, unknown user (LEGACY and ENABLED), SRP included')
    expect_error('NotAuthorizedException', 'Incorrect username or password.', client.initiate_auth, ClientId=public,
                 AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'alice', 'PASSWORD': 'Wrong-Passw0rd!'})
    srp = Srp(pool_id)
    c1 = client.initiate_auth(ClientId=public, AuthFlow='USER_SRP_AUTH', AuthParameters={'USERNAME': 'alice', 'SRP_A': srp.srp_a()})
    expect_error('NotAuthorizedException', 'Incorrect username or password.', client.respond_to_auth_challenge, ClientId=public,
                 ChallengeName='PASSWORD_VERIFIER', ChallengeResponses=srp.answer(c1['ChallengeParameters'], 'Wrong-Passw0rd!'))
    for flow, params in (('USER_PASSWORD_AUTH', {'PASSWORD': PASSWORD}), ('USER_SRP_AUTH', {'SRP_A': Srp(pool_id).srp_a()})):
        expect_error('UserNotFoundException', 'User does not exist.', client.initiate_auth, ClientId=public, AuthFlow=flow,
                     AuthParameters={'USERNAME': 'nobody', **params})
    expect_error('NotAuthorizedException', 'Incorrect username or password.', client.initiate_auth, ClientId=hiding,
                 AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'nobody', 'PASSWORD': PASSWORD})
    srp = Srp(pool_id)
    c1 = client.initiate_auth(ClientId=hiding, AuthFlow='USER_SRP_AUTH', AuthParameters={'USERNAME': 'nobody', 'SRP_A': srp.srp_a()})
    assert c1['ChallengeName'] == 'PASSWORD_VERIFIER', 'hidden: an unknown user gets a challenge'
    expect_error('NotAuthorizedException', 'Incorrect username or password.', client.respond_to_auth_challenge, ClientId=hiding,
                 ChallengeName='PASSWORD_VERIFIER', ChallengeResponses=srp.answer(c1['ChallengeParameters'], PASSWORD))

    step('errors: flows the client does not allow, or the operation does not take')
    expect_error('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client', client.initiate_auth,
                 ClientId=default_flows, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'alice', 'PASSWORD': PASSWORD})
    expect_error('InvalidParameterException', 'Auth flow not enabled for this client', client.admin_initiate_auth,
                 UserPoolId=pool_id, ClientId=default_flows, AuthFlow='ADMIN_NO_SRP_AUTH',
                 AuthParameters={'USERNAME': 'alice', 'PASSWORD': PASSWORD})
    no_srp, _ = app(ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])
    expect_error('InvalidParameterException', 'USER_SRP_AUTH is not enabled for the client.', client.initiate_auth,
                 ClientId=no_srp, AuthFlow='USER_SRP_AUTH', AuthParameters={'USERNAME': 'alice', 'SRP_A': Srp(pool_id).srp_a()})
    # Legacy flow names: SRP and refresh always, the others only when named.
    expect_error('InvalidParameterException', 'USER_PASSWORD_AUTH flow not enabled for this client', client.initiate_auth,
                 ClientId=legacy, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'alice', 'PASSWORD': PASSWORD})
    tokens_ok(client.admin_initiate_auth(UserPoolId=pool_id, ClientId=legacy, AuthFlow='ADMIN_NO_SRP_AUTH',
                                         AuthParameters={'USERNAME': 'alice', 'PASSWORD': PASSWORD}))
    expect_error('InvalidParameterException', 'Initiate Auth method not supported', client.initiate_auth, ClientId=public,
                 AuthFlow='ADMIN_USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'alice', 'PASSWORD': PASSWORD})

    step('errors: SECRET_HASH missing, wrong; a client without a secret')
    expect_error('NotAuthorizedException', f'Client {confidential} is configured with secret but SECRET_HASH was not received',
                 client.initiate_auth, ClientId=confidential, AuthFlow='USER_PASSWORD_AUTH',
                 AuthParameters={'USERNAME': 'alice', 'PASSWORD': PASSWORD})
    expect_error('NotAuthorizedException', f'Unable to verify secret hash for client {confidential}', client.initiate_auth,
                 ClientId=confidential, AuthFlow='USER_PASSWORD_AUTH',
                 AuthParameters={'USERNAME': 'alice', 'PASSWORD': PASSWORD, **secret_hash('wrong', 'alice', confidential)})
    expect_error('NotAuthorizedException', None, client.get_tokens_from_refresh_token, ClientId=confidential,
                 RefreshToken=refresh_token)
    expect_error('NotAuthorizedException', None, client.initiate_auth, ClientId=public, AuthFlow='REFRESH_TOKEN_AUTH',
                 AuthParameters={'REFRESH_TOKEN': 'not-a-refresh-token'})

    step('NEW_PASSWORD_REQUIRED: temporary password, a policy refusal, the new password, CONFIRMED')
    client.admin_create_user(UserPoolId=pool_id, Username='bob', TemporaryPassword='Temp-Passw0rd!', MessageAction='SUPPRESS')
    c1 = client.admin_initiate_auth(UserPoolId=pool_id, ClientId=confidential, AuthFlow='ADMIN_USER_PASSWORD_AUTH',
                                    AuthParameters={'USERNAME': 'bob', 'PASSWORD': 'Temp-Passw0rd!',
                                                    **secret_hash(secret, 'bob', confidential)})
    assert c1['ChallengeName'] == 'NEW_PASSWORD_REQUIRED', c1
    assert json.loads(c1['ChallengeParameters']['requiredAttributes']) == []
    assert json.loads(c1['ChallengeParameters']['userAttributes']) == {}
    respond = dict(UserPoolId=pool_id, ClientId=confidential, ChallengeName='NEW_PASSWORD_REQUIRED', Session=c1['Session'])
    base = {'USERNAME': 'bob', **secret_hash(secret, 'bob', confidential)}
    expect_error('InvalidPasswordException', 'Password did not conform with policy: Password not long enough',
                 client.admin_respond_to_auth_challenge, **respond, ChallengeResponses={**base, 'NEW_PASSWORD': 'Short1!'})
    tokens_ok(client.admin_respond_to_auth_challenge(**respond, ChallengeResponses={**base, 'NEW_PASSWORD': 'Brand-New-Passw0rd!',
                                                                                     'userAttributes.email': 'bob@example.com'}))
    expect_error('NotAuthorizedException', 'Invalid session for the user, session can only be used once.',
                 client.admin_respond_to_auth_challenge, **respond, ChallengeResponses={**base, 'NEW_PASSWORD': 'Other-Passw0rd!'})
    user = client.admin_get_user(UserPoolId=pool_id, Username='bob')
    assert user['UserStatus'] == 'CONFIRMED', user['UserStatus']
    assert {'Name': 'email', 'Value': 'bob@example.com'} in user['UserAttributes']
    srp = Srp(pool_id)
    c1 = client.initiate_auth(ClientId=public, AuthFlow='USER_SRP_AUTH', AuthParameters={'USERNAME': 'bob', 'SRP_A': srp.srp_a()})
    tokens_ok(client.respond_to_auth_challenge(ClientId=public, ChallengeName='PASSWORD_VERIFIER',
                                               ChallengeResponses=srp.answer(c1['ChallengeParameters'], 'Brand-New-Passw0rd!')))

    step('states: disabled, reset by an administrator')
    client.admin_disable_user(UserPoolId=pool_id, Username='bob')
    expect_error('NotAuthorizedException', 'User is disabled.', client.initiate_auth, ClientId=public,
                 AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'bob', 'PASSWORD': 'Brand-New-Passw0rd!'})
    client.admin_enable_user(UserPoolId=pool_id, Username='bob')
    client.admin_reset_user_password(UserPoolId=pool_id, Username='bob')
    expect_error('PasswordResetRequiredException', 'Password reset required for the user', client.initiate_auth, ClientId=public,
                 AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'bob', 'PASSWORD': 'Brand-New-Passw0rd!'})

    step('lockout: 5 failures lock for 1 s, even the right password; afterwards the user gets in')
    client.admin_create_user(UserPoolId=pool_id, Username='carol', MessageAction='SUPPRESS')
    client.admin_set_user_password(UserPoolId=pool_id, Username='carol', Password=PASSWORD, Permanent=True)
    auth = dict(ClientId=public, AuthFlow='USER_PASSWORD_AUTH')
    for _ in range(5):
        expect_error('NotAuthorizedException', 'Incorrect username or password.', client.initiate_auth, **auth,
                     AuthParameters={'USERNAME': 'carol', 'PASSWORD': 'Wrong-Passw0rd!'})
    expect_error('NotAuthorizedException', 'Password attempts exceeded', client.initiate_auth, **auth,
                 AuthParameters={'USERNAME': 'carol', 'PASSWORD': PASSWORD})
    time.sleep(1.2)
    tokens_ok(client.initiate_auth(**auth, AuthParameters={'USERNAME': 'carol', 'PASSWORD': PASSWORD}))

    print('all sign-in steps passed', flush=True)


if __name__ == '__main__':
    run(main)
