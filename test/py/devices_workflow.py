#!/usr/bin/env python3
"""Device tracking through boto3, with a device SRP client written here (independent of the server's code and
of amazon-cognito-identity-js): NewDeviceMetadata, ConfirmDevice, GetDevice / ListDevices / UpdateDeviceStatus /
ForgetDevice and the Admin twins, DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER, refresh bound to the device.

Environment: TESSERA_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION. Every step asserts
its result; the script prints a step log and exits 1 on failure.
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import sys
import traceback

import boto3
from botocore.config import Config

client = boto3.client('cognito-idp', endpoint_url=os.environ['TESSERA_ENDPOINT'], region_name=os.environ['AWS_DEFAULT_REGION'],
                      config=Config(retries={'max_attempts': 1, 'mode': 'standard'}, read_timeout=30))
PASSWORD = 'Corr3ct-Horse!'

# SRP-6a as Cognito's clients compute it: RFC 3526's 3072-bit group, g = 2, SHA-256, integers hashed in the
# Java BigInteger.toByteArray form. Device SRP uses the device group key where user SRP uses the pool name,
# and the device key where it uses the username.
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
    h = format(n, 'x')
    if len(h) % 2:
        h = '0' + h
    if h[0] in '89abcdef':
        h = '00' + h
    return bytes.fromhex(h)


def sha(*parts):
    return hashlib.sha256(b''.join(parts)).digest()


K = int.from_bytes(sha(enc(N), enc(G)), 'big')


def x_of(salt, group_key, device_key, password):
    return int.from_bytes(sha(enc(salt), sha(f'{group_key}{device_key}:{password}'.encode())), 'big')


class Device:
    """What a client keeps for a device: its keys, a random password, and the verifier it registers."""

    def __init__(self, meta):
        self.key = meta['DeviceKey']
        self.group = meta['DeviceGroupKey']
        self.password = base64.b64encode(secrets.token_bytes(40)).decode()
        self.salt = int.from_bytes(secrets.token_bytes(16), 'big')
        verifier = pow(G, x_of(self.salt, self.group, self.key, self.password), N)
        self.config = {'Salt': base64.b64encode(enc(self.salt)).decode(), 'PasswordVerifier': base64.b64encode(enc(verifier)).decode()}

    def start(self):
        self.a = secrets.randbits(1024)
        self.A = pow(G, self.a, N)
        return format(self.A, 'x')

    def answer(self, params, username, password=None):
        B = int(params['SRP_B'], 16)
        salt = int(params['SALT'], 16)
        u = int.from_bytes(sha(enc(self.A), enc(B)), 'big')
        x = x_of(salt, self.group, self.key, password or self.password)
        S = pow(B - K * pow(G, x, N), self.a + u * x, N)
        prk = hmac.new(enc(u), enc(S), hashlib.sha256).digest()
        key = hmac.new(prk, b'Caldera Derived Key\x01', hashlib.sha256).digest()[:16]
        now = datetime.datetime.now(datetime.timezone.utc)
        ts = now.strftime('%a %b ') + str(now.day) + now.strftime(' %H:%M:%S UTC %Y')
        msg = self.group.encode() + self.key.encode() + base64.b64decode(params['SECRET_BLOCK']) + ts.encode()
        sig = base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()
        return {'USERNAME': username, 'DEVICE_KEY': self.key, 'PASSWORD_CLAIM_SECRET_BLOCK': params['SECRET_BLOCK'],
                'TIMESTAMP': ts, 'PASSWORD_CLAIM_SIGNATURE': sig}


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
        return
    raise AssertionError(f'expected {code}, the call succeeded')


def claims(jwt):
    body = jwt.split('.')[1]
    return json.loads(base64.urlsafe_b64decode(body + '=' * (-len(body) % 4)))


def attrs(device):
    return {a['Name']: a['Value'] for a in device['DeviceAttributes']}


def main():
    step('pool with device tracking, app client, user')
    pool = client.create_user_pool(PoolName='devices', DeviceConfiguration={'ChallengeRequiredOnNewDevice': True})['UserPool']['Id']
    app = client.create_user_pool_client(UserPoolId=pool, ClientName='app', ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']['ClientId']
    client.admin_create_user(UserPoolId=pool, Username='zoe', MessageAction='SUPPRESS')
    client.admin_set_user_password(UserPoolId=pool, Username='zoe', Password=PASSWORD, Permanent=True)

    def sign_in(**extra):
        return client.initiate_auth(ClientId=app, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'zoe', 'PASSWORD': PASSWORD, **extra})

    step('sign-in: NewDeviceMetadata, and the access token carries its key')
    first = sign_in()['AuthenticationResult']
    device = Device(first['NewDeviceMetadata'])
    access = first['AccessToken']
    assert claims(access)['device_key'] == device.key

    step('ConfirmDevice, then GetDevice / ListDevices / AdminGetDevice / AdminListDevices')
    assert client.confirm_device(AccessToken=access, DeviceKey=device.key, DeviceSecretVerifierConfig=device.config, DeviceName='boto3')['UserConfirmationNecessary'] is False
    expect_error('DeviceKeyExistsException', None, client.confirm_device, AccessToken=access, DeviceKey=device.key, DeviceSecretVerifierConfig=device.config)
    got = client.get_device(AccessToken=access, DeviceKey=device.key)['Device']
    assert got['DeviceKey'] == device.key and attrs(got)['device_name'] == 'boto3', got
    assert isinstance(got['DeviceCreateDate'], datetime.datetime) and isinstance(got['DeviceLastAuthenticatedDate'], datetime.datetime)
    assert [d['DeviceKey'] for d in client.list_devices(AccessToken=access)['Devices']] == [device.key]
    assert client.admin_get_device(UserPoolId=pool, Username='zoe', DeviceKey=device.key)['Device']['DeviceKey'] == device.key
    assert [d['DeviceKey'] for d in client.admin_list_devices(UserPoolId=pool, Username='zoe', Limit=10)['Devices']] == [device.key]

    step('DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER with the device secret')
    r = sign_in(DEVICE_KEY=device.key)
    assert r['ChallengeName'] == 'DEVICE_SRP_AUTH', r
    r = client.respond_to_auth_challenge(ClientId=app, ChallengeName='DEVICE_SRP_AUTH', Session=r['Session'],
                                         ChallengeResponses={'USERNAME': 'zoe', 'DEVICE_KEY': device.key, 'SRP_A': device.start()})
    assert r['ChallengeName'] == 'DEVICE_PASSWORD_VERIFIER', r
    done = client.respond_to_auth_challenge(ClientId=app, ChallengeName='DEVICE_PASSWORD_VERIFIER', Session=r['Session'],
                                            ChallengeResponses=device.answer(r['ChallengeParameters'], 'zoe'))['AuthenticationResult']
    assert 'NewDeviceMetadata' not in done and claims(done['AccessToken'])['device_key'] == device.key

    step('a proof with the wrong device password is refused')
    r = sign_in(DEVICE_KEY=device.key)
    r = client.respond_to_auth_challenge(ClientId=app, ChallengeName='DEVICE_SRP_AUTH', Session=r['Session'],
                                         ChallengeResponses={'USERNAME': 'zoe', 'DEVICE_KEY': device.key, 'SRP_A': device.start()})
    expect_error('NotAuthorizedException', 'Incorrect username or password.', client.respond_to_auth_challenge, ClientId=app,
                 ChallengeName='DEVICE_PASSWORD_VERIFIER', Session=r['Session'], ChallengeResponses=device.answer(r['ChallengeParameters'], 'zoe', 'wrong'))

    step('UpdateDeviceStatus / AdminUpdateDeviceStatus')
    client.update_device_status(AccessToken=access, DeviceKey=device.key, DeviceRememberedStatus='not_remembered')
    assert client.list_devices(AccessToken=access)['Devices'] == []
    assert 'ChallengeName' not in sign_in(DEVICE_KEY=device.key)
    client.admin_update_device_status(UserPoolId=pool, Username='zoe', DeviceKey=device.key, DeviceRememberedStatus='remembered')
    assert attrs(client.get_device(AccessToken=access, DeviceKey=device.key)['Device'])['dev:device_remembered_status'] == 'remembered'

    step('refresh with the device key; without it, and after ForgetDevice, refused')
    refresh = {'REFRESH_TOKEN': done['RefreshToken']}
    again = client.initiate_auth(ClientId=app, AuthFlow='REFRESH_TOKEN_AUTH', AuthParameters={**refresh, 'DEVICE_KEY': device.key})
    assert claims(again['AuthenticationResult']['AccessToken'])['device_key'] == device.key
    expect_error('NotAuthorizedException', 'Invalid Refresh Token', client.initiate_auth, ClientId=app, AuthFlow='REFRESH_TOKEN_AUTH', AuthParameters=refresh)
    client.forget_device(AccessToken=access, DeviceKey=device.key)
    expect_error('ResourceNotFoundException', 'Device does not exist.', client.get_device, AccessToken=access, DeviceKey=device.key)
    expect_error('NotAuthorizedException', 'Invalid Refresh Token', client.initiate_auth, ClientId=app, AuthFlow='REFRESH_TOKEN_AUTH',
                 AuthParameters={**refresh, 'DEVICE_KEY': device.key})
    expect_error('ResourceNotFoundException', 'Device does not exist.', sign_in, DEVICE_KEY=device.key)

    step('AdminForgetDevice; errors for unknown users and keys')
    other = Device(sign_in()['AuthenticationResult']['NewDeviceMetadata'])
    client.admin_forget_device(UserPoolId=pool, Username='zoe', DeviceKey=other.key)
    expect_error('ResourceNotFoundException', 'Device does not exist.', client.admin_forget_device, UserPoolId=pool, Username='zoe', DeviceKey=other.key)
    expect_error('UserNotFoundException', None, client.admin_get_device, UserPoolId=pool, Username='nobody', DeviceKey=other.key)
    expect_error('ResourceNotFoundException', 'Device does not exist.', client.admin_update_device_status, UserPoolId=pool, Username='zoe',
                 DeviceKey=other.key, DeviceRememberedStatus='remembered')
    print('all device steps passed', flush=True)


if __name__ == '__main__':
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(1)
