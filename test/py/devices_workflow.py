#!/usr/bin/env python3
"""Device tracking through boto3, with a device SRP client written here (independent of the server's code and
of amazon-cognito-identity-js): NewDeviceMetadata, ConfirmDevice, GetDevice / ListDevices / UpdateDeviceStatus /
ForgetDevice and the Admin twins, DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER in place of the SMS MFA code the pool
requires (a remembered device only ever replaces an MFA code), refresh bound to the device.

Environment: TESSERA_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION. Every step asserts
its result; the script prints a step log and exits 1 on failure.
"""
import base64
import datetime
import secrets

from tessera_client import G, N, SrpExchange, claims, client, enc, expect_error, outbox_code, run, srp_x, step

PASSWORD = 'Corr3ct-Horse!'


class Device:
    """What a client keeps for a device: its keys, a random password, and the verifier it registers. Device
    SRP uses the device group key where user SRP uses the pool name, and the device key where it uses the
    username."""

    def __init__(self, meta):
        self.key = meta['DeviceKey']
        self.group = meta['DeviceGroupKey']
        self.password = base64.b64encode(secrets.token_bytes(40)).decode()
        self.salt = int.from_bytes(secrets.token_bytes(16), 'big')
        verifier = pow(G, srp_x(self.salt, self.group, self.key, self.password), N)
        self.config = {'Salt': base64.b64encode(enc(self.salt)).decode(), 'PasswordVerifier': base64.b64encode(enc(verifier)).decode()}

    def start(self):
        self.exchange = SrpExchange()
        return self.exchange.srp_a()

    def answer(self, params, username, password=None):
        sig, ts = self.exchange.claim(params, self.group, self.key, password or self.password)
        return {'USERNAME': username, 'DEVICE_KEY': self.key, 'PASSWORD_CLAIM_SECRET_BLOCK': params['SECRET_BLOCK'],
                'TIMESTAMP': ts, 'PASSWORD_CLAIM_SIGNATURE': sig}


def attrs(device):
    return {a['Name']: a['Value'] for a in device['DeviceAttributes']}


def main():
    step('pool with device tracking, app client, user')
    sms = {'SnsCallerArn': 'arn:aws:iam::123456789012:role/sms', 'ExternalId': 'x'}
    pool = client.create_user_pool(PoolName='devices', MfaConfiguration='ON', SmsConfiguration=sms, AutoVerifiedAttributes=['phone_number'],
                                   DeviceConfiguration={'ChallengeRequiredOnNewDevice': True})['UserPool']['Id']
    app = client.create_user_pool_client(UserPoolId=pool, ClientName='app', ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']['ClientId']
    phone = '+15550001234'
    client.admin_create_user(UserPoolId=pool, Username='zoe', MessageAction='SUPPRESS', UserAttributes=[{'Name': 'phone_number', 'Value': phone}])
    client.admin_set_user_password(UserPoolId=pool, Username='zoe', Password=PASSWORD, Permanent=True)

    def password_step(**extra):
        return client.initiate_auth(ClientId=app, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'zoe', 'PASSWORD': PASSWORD, **extra})

    def sign_in(**extra):
        """The password, then the SMS code when asked (a device challenge is returned as it is)."""
        r = password_step(**extra)
        if r.get('ChallengeName') != 'SMS_MFA':
            return r
        return client.respond_to_auth_challenge(ClientId=app, ChallengeName='SMS_MFA', Session=r['Session'],
                                                ChallengeResponses={'USERNAME': 'zoe', 'SMS_MFA_CODE': outbox_code(pool, phone)})

    step('sign-in: SMS MFA, then NewDeviceMetadata, and the access token carries its key')
    assert password_step()['ChallengeName'] == 'SMS_MFA'
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

    step('DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER with the device secret, in place of the SMS code')
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
    assert password_step(DEVICE_KEY=device.key)['ChallengeName'] == 'SMS_MFA'  # a device not remembered replaces no code
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
    run(main)
