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
import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import sys
import time
import traceback

import boto3
from botocore.config import Config

ENDPOINT = os.environ['TESSERA_ENDPOINT']
REGION = os.environ['AWS_DEFAULT_REGION']
client = boto3.client('cognito-idp', endpoint_url=ENDPOINT, region_name=REGION,
                      config=Config(retries={'max_attempts': 1, 'mode': 'standard'}, read_timeout=30))
PASSWORD = 'Corr3ct-Horse!'

# --- SRP-6a as Cognito's clients compute it (3072-bit group of RFC 3526, g = 2, SHA-256) -------------
N = int(
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD'
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F'
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B'
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510'
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7'
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C'
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF', 16)
G = 2


def enc(n):
    """Java BigInteger.toByteArray of a non-negative integer."""
    h = format(n, 'x')
    if len(h) % 2:
        h = '0' + h
    if h[0] in '89abcdef':
        h = '00' + h
    return bytes.fromhex(h)


def sha(*parts):
    return hashlib.sha256(b''.join(parts)).digest()


K = int.from_bytes(sha(enc(N), enc(G)), 'big')


class Srp:
    def __init__(self, pool_id):
        self.pool_name = pool_id.split('_', 1)[1]
        self.a = secrets.randbits(1024)
        self.A = pow(G, self.a, N)

    def srp_a(self):
        return format(self.A, 'x')

    def answer(self, params, password, timestamp=None):
        user_id = params['USER_ID_FOR_SRP']
        B = int(params['SRP_B'], 16)
        salt = int(params['SALT'], 16)
        u = int.from_bytes(sha(enc(self.A), enc(B)), 'big')
        x = int.from_bytes(sha(enc(salt), sha(f'{self.pool_name}{user_id}:{password}'.encode())), 'big')
        S = pow(B - K * pow(G, x, N), self.a + u * x, N)
        prk = hmac.new(enc(u), enc(S), hashlib.sha256).digest()
        key = hmac.new(prk, b'Caldera Derived Key\x01', hashlib.sha256).digest()[:16]
        now = datetime.datetime.now(datetime.timezone.utc)
        ts = timestamp or now.strftime('%a %b ') + str(now.day) + now.strftime(' %H:%M:%S UTC %Y')
        msg = self.pool_name.encode() + user_id.encode() + base64.b64decode(params['SECRET_BLOCK']) + ts.encode()
        sig = base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()
        return {'USERNAME': user_id, 'PASSWORD_CLAIM_SECRET_BLOCK': params['SECRET_BLOCK'], 'TIMESTAMP': ts,
                'PASSWORD_CLAIM_SIGNATURE': sig}


def secret_hash(secret, username, client_id):
    if secret is None:
        return {}
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return {'SECRET_HASH': base64.b64encode(digest).decode()}


# --- steps -------------------------------------------------------------------------------------------
STEP = [0]


def step(name):
    STEP[0] += 1
    print(f'[{STEP[0]:02}] {name}', flush=True)


def expect_error(code, message, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except client.exceptions.ClientError as e:
        got = (e.response['Error']['Code'], e.response['Error']['Message'])
        assert got[0] == code, f'expected {code}, got {got}'
        if message is not None:
            assert got[1] == message, f'expected {message!r}, got {got[1]!r}'
        return got[1]
    raise AssertionError(f'expected {code}, the call succeeded')


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
    try:
        main()
    except Exception:  # noqa: BLE001 — report any failure with its step
        traceback.print_exc()
        sys.exit(1)
