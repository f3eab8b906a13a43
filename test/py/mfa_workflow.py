#!/usr/bin/env python3
"""A user's MFA through boto3, happy and error paths.

SetUserPoolMfaConfig, AssociateSoftwareToken / VerifySoftwareToken with an access token, SetUserMFAPreference,
AdminSetUserMFAPreference, SetUserSettings, AdminSetUserSettings, GetUser / AdminGetUser's MFA members, and
sign-in with SOFTWARE_TOKEN_MFA (RFC 6238 computed here, independent of the server's code) and with SMS_MFA
(the code read from the server's outbox). Environment: TESSERA_ENDPOINT, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION. Every step asserts; exits 1 on failure.
"""
import base64
import hashlib
import hmac
import struct
import time

from tessera_client import client, expect_error, outbox_code, run, step

PASSWORD = 'Corr3ct-Horse!'


def totp(secret, at):
    """RFC 6238: HMAC-SHA1 over the 30-second step, dynamic truncation (RFC 4226 section 5.3), six digits."""
    key = base64.b32decode(secret + '=' * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack('>Q', int(at // 30)), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return '%06d' % ((struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def wrong(code):
    return '%06d' % ((int(code) + 1) % 1000000)


def fails(expected_type, fn, /, **kw):
    """fn(**kw) must fail with `expected_type`; returns the message."""
    return expect_error(expected_type, None, fn, **kw)


def main():
    step('pool with optional MFA (TOTP and SMS), a user, an access token')
    pool_id = client.create_user_pool(PoolName='mfa-boto3')['UserPool']['Id']
    client.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration='OPTIONAL', SoftwareTokenMfaConfiguration={'Enabled': True},
                                    SmsMfaConfiguration={'SmsConfiguration': {'SnsCallerArn': 'arn:aws:iam::123456789012:role/sms', 'ExternalId': 'x'}})
    app = client.create_user_pool_client(UserPoolId=pool_id, ClientName='app', ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']['ClientId']
    client.admin_create_user(UserPoolId=pool_id, Username='bob', MessageAction='SUPPRESS', UserAttributes=[{'Name': 'phone_number', 'Value': '+15550009876'}])
    client.admin_set_user_password(UserPoolId=pool_id, Username='bob', Password=PASSWORD, Permanent=True)
    sign_in = lambda: client.initiate_auth(ClientId=app, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'bob', 'PASSWORD': PASSWORD})
    access = sign_in()['AuthenticationResult']['AccessToken']

    step('TOTP cannot be turned on before a token is verified')
    msg = fails('InvalidParameterException', client.set_user_mfa_preference, AccessToken=access, SoftwareTokenMfaSettings={'Enabled': True})
    assert msg == 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA', msg

    step('AssociateSoftwareToken / VerifySoftwareToken: wrong code refused, right code accepted')
    secret = client.associate_software_token(AccessToken=access)['SecretCode']
    now = time.time()
    fails('EnableSoftwareTokenMFAException', client.verify_software_token, AccessToken=access, UserCode=wrong(totp(secret, now)))
    assert client.verify_software_token(AccessToken=access, UserCode=totp(secret, now), FriendlyDeviceName='pixel')['Status'] == 'SUCCESS'
    client.set_user_mfa_preference(AccessToken=access, SoftwareTokenMfaSettings={'Enabled': True, 'PreferredMfa': True})
    me = client.get_user(AccessToken=access)
    assert me['UserMFASettingList'] == ['SOFTWARE_TOKEN_MFA'] and me['PreferredMfaSetting'] == 'SOFTWARE_TOKEN_MFA', me

    step('sign-in asks SOFTWARE_TOKEN_MFA; wrong code refused, the next step\'s code accepted (one step of drift)')
    first = sign_in()
    assert first['ChallengeName'] == 'SOFTWARE_TOKEN_MFA', first
    answer = lambda code: client.respond_to_auth_challenge(ClientId=app, ChallengeName='SOFTWARE_TOKEN_MFA', Session=first['Session'],
                                                          ChallengeResponses={'USERNAME': 'bob', 'SOFTWARE_TOKEN_MFA_CODE': code})
    code = totp(secret, time.time() + 30)
    fails('CodeMismatchException', answer, code=wrong(code))
    assert answer(code)['AuthenticationResult']['AccessToken']

    step('AdminSetUserSettings / SetUserSettings (legacy SMS), AdminSetUserMFAPreference and AdminGetUser')
    client.admin_set_user_settings(UserPoolId=pool_id, Username='bob', MFAOptions=[{'DeliveryMedium': 'SMS', 'AttributeName': 'phone_number'}])
    got = client.admin_get_user(UserPoolId=pool_id, Username='bob')
    assert got['UserMFASettingList'] == ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] and got['MFAOptions'] == [{'DeliveryMedium': 'SMS', 'AttributeName': 'phone_number'}], got
    client.set_user_settings(AccessToken=access, MFAOptions=[])
    assert client.admin_get_user(UserPoolId=pool_id, Username='bob')['UserMFASettingList'] == ['SOFTWARE_TOKEN_MFA']
    fails('InvalidParameterException', client.set_user_settings, AccessToken=access, MFAOptions=[{'DeliveryMedium': 'EMAIL', 'AttributeName': 'email'}])
    client.admin_set_user_mfa_preference(UserPoolId=pool_id, Username='bob', SMSMfaSettings={'Enabled': True, 'PreferredMfa': True})
    assert client.admin_get_user(UserPoolId=pool_id, Username='bob')['PreferredMfaSetting'] == 'SMS_MFA'
    fails('UserNotFoundException', client.admin_set_user_mfa_preference, UserPoolId=pool_id, Username='nobody', SMSMfaSettings={'Enabled': True})

    step('SMS_MFA (preferred) with AdminInitiateAuth: the code from the outbox')
    first = client.admin_initiate_auth(UserPoolId=pool_id, ClientId=app, AuthFlow='ADMIN_USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'bob', 'PASSWORD': PASSWORD})
    assert first['ChallengeName'] == 'SMS_MFA' and first['ChallengeParameters']['CODE_DELIVERY_DESTINATION'] == '+*******9876', first
    sms = outbox_code(pool_id, '+15550009876')
    answer = lambda code: client.admin_respond_to_auth_challenge(UserPoolId=pool_id, ClientId=app, ChallengeName='SMS_MFA', Session=first['Session'],
                                                                ChallengeResponses={'USERNAME': 'bob', 'SMS_MFA_CODE': code})
    fails('CodeMismatchException', answer, code=wrong(sms))
    assert answer(sms)['AuthenticationResult']['IdToken']
    print('all MFA steps passed')


if __name__ == '__main__':
    run(main)
