#!/usr/bin/env python3
"""The administrator workflow of "A Detailed Look at AWS Cognito" (Chris Hare, 2019), run through boto3.

The article configures a user pool ("Testme") whose usernames are email addresses, with a verified phone
number, optional MFA (SMS through an IAM role, TOTP recommended), admin-only sign-up with a customised
invitation, opt-in device tracking and a custom attribute for the user's company. It then creates two groups
with an IAM role and a precedence, and imports users from a CSV file with three calls per user:
admin_create_user (email, phone, both marked verified; Cognito generates the temporary password and mails
the invitation), admin_update_user_attributes (the other standard attributes and custom:Company) and
admin_add_user_to_group. Finally it lists users, and disables and deletes accounts.

Environment: TESSERA_ENDPOINT (passed to boto3 as endpoint_url), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_DEFAULT_REGION. Every step asserts its result; the script prints a step log and exits 1 on failure.
"""
import base64
import csv
import datetime
import json
import os
import re
import sys
import time
import traceback
import urllib.parse
import urllib.request
import uuid

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
CSV_PATH = os.path.join(HERE, 'users.csv')
ENDPOINT = os.environ['TESSERA_ENDPOINT']
REGION = os.environ['AWS_DEFAULT_REGION']
ACCOUNT = '123456789012'  # only used to build role ARNs; Cognito does not check them at this point

client = boto3.client(
    'cognito-idp',
    endpoint_url=ENDPOINT,
    region_name=REGION,
    config=Config(retries={'max_attempts': 1, 'mode': 'standard'}, connect_timeout=5, read_timeout=30),
)
errors = client.exceptions

UUID_RE = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
INVITE_SUBJECT = 'Welcome to Testme'
INVITE_EMAIL = (
    'Hello,\n'
    'an administrator has added you to the Testme user pool.\n'
    'Username: {username}\n'
    'Temporary password: {####}\n'
    'Sign in and choose a new password.\n'
)
INVITE_SMS = 'Testme: your username is {username} and your temporary password is {####}'
GROUPS = {
    # The article's example role is S3 read-only; the administrators' group wins (lower precedence).
    'Administrators': {
        'Description': 'Testme administrators',
        'RoleArn': f'arn:aws:iam::{ACCOUNT}:role/Testme-Administrators',
        'Precedence': 1,
    },
    'S3ReadOnly': {
        'Description': 'Read-only access to the Testme S3 buckets',
        'RoleArn': f'arn:aws:iam::{ACCOUNT}:role/Testme-S3ReadOnly',
        'Precedence': 10,
    },
}

state = {}
failures = []


def log(msg):
    print(msg, flush=True)


def step(name, critical=False):
    """Runs the decorated function at once as one logged step. A failed critical step ends the run."""

    def run(fn):
        started = time.monotonic()
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every failure is reported, including boto3 errors
            failures.append(name)
            log(f'FAIL {name}: {type(e).__name__}: {e}')
            # Where in this script it failed (botocore's own frames are noise here).
            for frame in traceback.extract_tb(e.__traceback__):
                if frame.filename == __file__ and frame.name != 'run':
                    log(f'     at line {frame.lineno}: {frame.line}')
            if critical:
                finish()
        else:
            log(f'ok   {name} ({(time.monotonic() - started) * 1000:.0f} ms)')
        return fn

    return run


def expect_error(exc_class, call, message=None, **kwargs):
    """Calls the operation and asserts it raises boto3's modeled exception (and, if given, the message)."""
    try:
        call(**kwargs)
    except exc_class as e:
        err = e.response['Error']
        assert e.response['ResponseMetadata']['HTTPStatusCode'] == 400, f'HTTP status {e.response["ResponseMetadata"]}'
        if message is not None:
            assert err.get('Message') == message, f'{err.get("Code")} message: expected {message!r}, got {err.get("Message")!r}'
        return err
    raise AssertionError(f'{call.__name__}({kwargs}) did not raise {exc_class.__name__}')


def attrs(user):
    return {a['Name']: a['Value'] for a in user.get('Attributes', user.get('UserAttributes', []))}


def read_csv():
    with open(CSV_PATH, newline='') as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r['groups'] = [g for g in r['group'].split(';') if g]
    return rows


def outbox(pool_id, destination):
    """Messages Tessera delivered (GET /_tessera/outbox, HTTP Basic with the admin access key)."""
    q = urllib.parse.urlencode({'userPoolId': pool_id, 'destination': destination})
    req = urllib.request.Request(f'{ENDPOINT.rstrip("/")}/_tessera/outbox?{q}')
    key = f'{os.environ["AWS_ACCESS_KEY_ID"]}:{os.environ["AWS_SECRET_ACCESS_KEY"]}'
    req.add_header('Authorization', 'Basic ' + base64.b64encode(key.encode()).decode())
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.load(res)['messages']


def finish():
    pool_id = state.get('pool_id')
    if failures and pool_id and not state.get('pool_deleted'):
        try:
            client.delete_user_pool(UserPoolId=pool_id)
        except Exception:  # noqa: BLE001 - best-effort cleanup after a failure
            pass
    if failures:
        log(f'\n{len(failures)} step(s) failed: ' + '; '.join(failures))
        sys.exit(1)
    log('\nall steps passed')
    sys.exit(0)


USERS = read_csv()
assert len(USERS) >= 25, f'users.csv has {len(USERS)} rows'
log(f'Tessera at {ENDPOINT}, region {REGION}, {len(USERS)} users in {CSV_PATH}')


# --------------------------------------------------------------------------------------------- the user pool


@step('CreateUserPool rejects email as username together with alias attributes')
def _():
    # "The username or email address/phone number options are mutually exclusive."
    expect_error(
        errors.InvalidParameterException,
        client.create_user_pool,
        'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.',
        PoolName='Testme-invalid',
        UsernameAttributes=['email'],
        AliasAttributes=['preferred_username'],
    )


@step('CreateUserPool rejects optional MFA without an SMS role or without phone number verification')
def _():
    # "With MFA selected as either optional or required, the user must be verified using either their email
    # address or phone number" and "AWS Cognito needs to have an IAM role configured ... to send SMS messages":
    # at creation Cognito insists on both (TOTP can only be turned on afterwards, with SetUserPoolMfaConfig).
    message = 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional'
    sms = {'SnsCallerArn': f'arn:aws:iam::{ACCOUNT}:role/service-role/Testme-SMS-Role', 'ExternalId': 'x'}
    for mfa, extra in (
        ('OPTIONAL', {'AutoVerifiedAttributes': ['phone_number']}),
        ('OPTIONAL', {'AutoVerifiedAttributes': ['email'], 'SmsConfiguration': sms}),
        ('ON', {'SmsConfiguration': sms}),
    ):
        expect_error(errors.InvalidParameterException, client.create_user_pool, message,
                     PoolName='Testme-invalid', UsernameAttributes=['email'], MfaConfiguration=mfa, **extra)
    pools = client.list_user_pools(MaxResults=60)['UserPools']
    assert not [p for p in pools if p['Name'] == 'Testme-invalid'], 'a rejected pool was created'


@step('CreateUserPool "Testme": email username, verified phone, optional MFA, admin-only sign-up', critical=True)
def _():
    res = client.create_user_pool(
        PoolName='Testme',
        # "Let's allow the user to login using their email address."
        UsernameAttributes=['email'],
        UsernameConfiguration={'CaseSensitive': False},
        # The default password policy, which the article recommends keeping; temporary passwords expire in 7 days.
        Policies={
            'PasswordPolicy': {
                'MinimumLength': 8,
                'RequireUppercase': True,
                'RequireLowercase': True,
                'RequireNumbers': True,
                'RequireSymbols': True,
                'TemporaryPasswordValidityDays': 7,
            }
        },
        # No required standard attributes (the article warns they break adding users); one custom attribute.
        Schema=[
            {
                'Name': 'Company',
                'AttributeDataType': 'String',
                'Mutable': True,
                'StringAttributeConstraints': {'MinLength': '1', 'MaxLength': '256'},
            }
        ],
        # "For this example, I am going to select verify the phone number."
        AutoVerifiedAttributes=['phone_number'],
        # Optional MFA by SMS, through an IAM role that lets Cognito send SMS messages.
        MfaConfiguration='OPTIONAL',
        SmsConfiguration={
            'SnsCallerArn': f'arn:aws:iam::{ACCOUNT}:role/service-role/Testme-SMS-Role',
            'ExternalId': 'testme-external-id',
            'SnsRegion': REGION,
        },
        SmsAuthenticationMessage='Your Testme authentication code is {####}',
        # SMS is the recovery path when TOTP is the second factor, as AWS recommends.
        AccountRecoverySetting={
            'RecoveryMechanisms': [
                {'Priority': 1, 'Name': 'verified_phone_number'},
                {'Priority': 2, 'Name': 'verified_email'},
            ]
        },
        EmailConfiguration={'EmailSendingAccount': 'COGNITO_DEFAULT'},
        # Opt-in device tracking: the user chooses to remember a device.
        DeviceConfiguration={'ChallengeRequiredOnNewDevice': False, 'DeviceOnlyRememberedOnUserPrompt': True},
        # "I am choosing to have users added by an administrator", with a customised invitation.
        AdminCreateUserConfig={
            'AllowAdminCreateUserOnly': True,
            'InviteMessageTemplate': {
                'EmailSubject': INVITE_SUBJECT,
                'EmailMessage': INVITE_EMAIL,
                'SMSMessage': INVITE_SMS,
            },
        },
        UserPoolTags={'app': 'testme'},
    )
    pool = res['UserPool']
    assert re.fullmatch(rf'{REGION}_[0-9A-Za-z]{{9}}', pool['Id']), f'pool id {pool["Id"]}'
    assert pool['Name'] == 'Testme', pool['Name']
    state['pool_id'] = pool['Id']
    log(f'     pool {pool["Id"]}')


@step('DescribeUserPool shows every setting as configured', critical=True)
def _():
    pool = client.describe_user_pool(UserPoolId=state['pool_id'])['UserPool']
    assert pool['Id'] == state['pool_id']
    assert pool['Arn'] == f'arn:aws:cognito-idp:{REGION}:{pool["Arn"].split(":")[4]}:userpool/{state["pool_id"]}', pool['Arn']
    assert pool['UsernameAttributes'] == ['email'], pool.get('UsernameAttributes')
    assert 'AliasAttributes' not in pool or pool['AliasAttributes'] == [], pool.get('AliasAttributes')
    assert pool['AutoVerifiedAttributes'] == ['phone_number'], pool.get('AutoVerifiedAttributes')
    assert pool['MfaConfiguration'] == 'OPTIONAL', pool.get('MfaConfiguration')
    sms = pool['SmsConfiguration']
    assert sms['SnsCallerArn'] == f'arn:aws:iam::{ACCOUNT}:role/service-role/Testme-SMS-Role', sms
    assert sms['ExternalId'] == 'testme-external-id', sms
    assert pool['SmsAuthenticationMessage'] == 'Your Testme authentication code is {####}', pool.get('SmsAuthenticationMessage')
    admin = pool['AdminCreateUserConfig']
    assert admin['AllowAdminCreateUserOnly'] is True, admin
    assert admin['InviteMessageTemplate'] == {
        'EmailSubject': INVITE_SUBJECT,
        'EmailMessage': INVITE_EMAIL,
        'SMSMessage': INVITE_SMS,
    }, admin['InviteMessageTemplate']
    policy = pool['Policies']['PasswordPolicy']
    for k, v in {'MinimumLength': 8, 'RequireUppercase': True, 'RequireLowercase': True, 'RequireNumbers': True,
                 'RequireSymbols': True, 'TemporaryPasswordValidityDays': 7}.items():
        assert policy.get(k) == v, f'PasswordPolicy.{k} = {policy.get(k)!r}, expected {v!r}'
    assert pool['DeviceConfiguration'] == {'ChallengeRequiredOnNewDevice': False, 'DeviceOnlyRememberedOnUserPrompt': True}, pool.get('DeviceConfiguration')
    assert pool['UsernameConfiguration'] == {'CaseSensitive': False}, pool.get('UsernameConfiguration')
    recovery = sorted((m['Priority'], m['Name']) for m in pool['AccountRecoverySetting']['RecoveryMechanisms'])
    assert recovery == [(1, 'verified_phone_number'), (2, 'verified_email')], recovery
    schema = {a['Name']: a for a in pool['SchemaAttributes']}
    for std in ('sub', 'email', 'phone_number', 'given_name', 'family_name', 'birthdate', 'address', 'gender'):
        assert std in schema, f'standard attribute {std} missing from SchemaAttributes'
    company = schema.get('custom:Company')
    assert company is not None, f'custom:Company missing: {sorted(schema)}'
    assert company['AttributeDataType'] == 'String' and company['Mutable'] is True, company
    assert company['StringAttributeConstraints'] == {'MinLength': '1', 'MaxLength': '256'}, company
    assert pool['EstimatedNumberOfUsers'] == 0, pool.get('EstimatedNumberOfUsers')
    assert isinstance(pool['CreationDate'], datetime.datetime), pool.get('CreationDate')
    assert pool['UserPoolTags'] == {'app': 'testme'}, pool.get('UserPoolTags')


@step('SetUserPoolMfaConfig: TOTP (recommended) and SMS, optional; GetUserPoolMfaConfig reads it back')
def _():
    pid = state['pool_id']
    res = client.set_user_pool_mfa_config(
        UserPoolId=pid,
        SmsMfaConfiguration={
            'SmsAuthenticationMessage': 'Your Testme authentication code is {####}',
            'SmsConfiguration': {
                'SnsCallerArn': f'arn:aws:iam::{ACCOUNT}:role/service-role/Testme-SMS-Role',
                'ExternalId': 'testme-external-id',
            },
        },
        SoftwareTokenMfaConfiguration={'Enabled': True},
        MfaConfiguration='OPTIONAL',
    )
    assert res['MfaConfiguration'] == 'OPTIONAL', res
    assert res['SoftwareTokenMfaConfiguration'] == {'Enabled': True}, res
    got = client.get_user_pool_mfa_config(UserPoolId=pid)
    assert got['MfaConfiguration'] == 'OPTIONAL', got
    assert got['SoftwareTokenMfaConfiguration'] == {'Enabled': True}, got
    assert got['SmsMfaConfiguration']['SmsConfiguration']['SnsCallerArn'].endswith('Testme-SMS-Role'), got


@step('AddCustomAttributes custom:department; attributes cannot be redefined')
def _():
    pid = state['pool_id']
    client.add_custom_attributes(
        UserPoolId=pid,
        CustomAttributes=[{'Name': 'department', 'AttributeDataType': 'String', 'Mutable': True,
                           'StringAttributeConstraints': {'MinLength': '0', 'MaxLength': '64'}}],
    )
    names = {a['Name'] for a in client.describe_user_pool(UserPoolId=pid)['UserPool']['SchemaAttributes']}
    assert {'custom:Company', 'custom:department'} <= names, sorted(names)
    # "Once you create the user pool, many values, particularly attributes, cannot be changed."
    expect_error(errors.InvalidParameterException, client.add_custom_attributes, UserPoolId=pid,
                 CustomAttributes=[{'Name': 'Company', 'AttributeDataType': 'String'}])


# --------------------------------------------------------------------------------------------- groups, app client


@step('CreateGroup x2 with an IAM role and a precedence', critical=True)
def _():
    pid = state['pool_id']
    for name, g in GROUPS.items():
        created = client.create_group(UserPoolId=pid, GroupName=name, **g)['Group']
        assert created['GroupName'] == name and created['UserPoolId'] == pid, created
        for k, v in g.items():
            assert created[k] == v, f'{name}.{k} = {created.get(k)!r}, expected {v!r}'
        assert isinstance(created['CreationDate'], datetime.datetime), created


@step('CreateGroup errors: a space in the name, a duplicate name, an unknown pool')
def _():
    pid = state['pool_id']
    # "spaces are not allowed ... flagged an error when I attempted to create the group"
    expect_error(
        errors.InvalidParameterException,
        client.create_group,
        "1 validation error detected: Value 'S3 Read Only' at 'groupName' failed to satisfy constraint: "
        'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
        UserPoolId=pid,
        GroupName='S3 Read Only',
    )
    expect_error(errors.GroupExistsException, client.create_group, UserPoolId=pid, GroupName='S3ReadOnly')
    expect_error(errors.ResourceNotFoundException, client.create_group,
                 f'User pool {REGION}_AAAAAAAAA does not exist.', UserPoolId=f'{REGION}_AAAAAAAAA', GroupName='x')


@step('GetGroup and ListGroups')
def _():
    pid = state['pool_id']
    g = client.get_group(UserPoolId=pid, GroupName='S3ReadOnly')['Group']
    assert (g['Precedence'], g['RoleArn'], g['Description']) == (10, GROUPS['S3ReadOnly']['RoleArn'], GROUPS['S3ReadOnly']['Description']), g
    listed = client.list_groups(UserPoolId=pid)['Groups']
    assert sorted(x['GroupName'] for x in listed) == sorted(GROUPS), listed
    expect_error(errors.ResourceNotFoundException, client.get_group, UserPoolId=pid, GroupName='Nobody')


@step('CreateUserPoolClient: an app with a client id and a secret')
def _():
    pid = state['pool_id']
    app = client.create_user_pool_client(
        UserPoolId=pid,
        ClientName='testme-app',
        GenerateSecret=True,
        ExplicitAuthFlows=['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    )['UserPoolClient']
    assert app['UserPoolId'] == pid and app['ClientName'] == 'testme-app', app
    assert re.fullmatch(r'[\w+]+', app['ClientId']), app['ClientId']
    assert app.get('ClientSecret'), 'no ClientSecret although GenerateSecret was true'
    state['client_id'] = app['ClientId']
    got = client.describe_user_pool_client(UserPoolId=pid, ClientId=app['ClientId'])['UserPoolClient']
    assert got['ClientSecret'] == app['ClientSecret'], 'DescribeUserPoolClient returned another secret'
    assert sorted(got['ExplicitAuthFlows']) == ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'], got
    listed = client.list_user_pool_clients(UserPoolId=pid, MaxResults=10)['UserPoolClients']
    assert [c['ClientId'] for c in listed] == [app['ClientId']], listed
    expect_error(errors.ResourceNotFoundException, client.describe_user_pool_client, UserPoolId=pid, ClientId='1' * 26)


# --------------------------------------------------------------------------------------------- CSV import


@step('AdminCreateUser validates the username and phone number formats')
def _():
    pid = state['pool_id']
    # "the username must follow the email format of user@domain"
    expect_error(errors.InvalidParameterException, client.admin_create_user, 'Username should be an email.',
                 UserPoolId=pid, Username='not-an-email', MessageAction='SUPPRESS')
    # "the phone number format must also follow the international dialing format"
    expect_error(errors.InvalidParameterException, client.admin_create_user, 'Invalid phone number format.',
                 UserPoolId=pid, Username='bad.phone@example.com', MessageAction='SUPPRESS',
                 UserAttributes=[{'Name': 'phone_number', 'Value': '555-0100'}])
    expect_error(errors.ResourceNotFoundException, client.admin_create_user,
                 UserPoolId=f'{REGION}_AAAAAAAAA', Username='x@example.com')


@step('import users.csv: AdminCreateUser (invitation by email) + AdminUpdateUserAttributes + AdminAddUserToGroup', critical=True)
def _():
    pid = state['pool_id']
    state['sub'] = {}
    before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    for i, row in enumerate(USERS):
        # The article's admin_create_user: username, email, phone, both marked verified ('True', as it writes it).
        created = client.admin_create_user(
            UserPoolId=pid,
            Username=row['email'],
            UserAttributes=[
                {'Name': 'phone_number', 'Value': row['phone_number']},
                {'Name': 'email', 'Value': row['email']},
                {'Name': 'email_verified', 'Value': 'True'},
                {'Name': 'phone_number_verified', 'Value': 'True'},
            ],
            DesiredDeliveryMediums=['EMAIL'],
        )['User']
        a = attrs(created)
        # With email as the username, Cognito's username is the generated sub (the article's listing shows it).
        assert UUID_RE.match(created['Username']), f'{row["email"]}: username {created["Username"]!r} is not a UUID'
        assert a.get('sub') == created['Username'], f'{row["email"]}: sub {a.get("sub")} != username {created["Username"]}'
        assert a.get('email') == row['email'] and a.get('phone_number') == row['phone_number'], a
        assert created['UserStatus'] == 'FORCE_CHANGE_PASSWORD', created['UserStatus']
        assert created['Enabled'] is True, created
        assert created['UserCreateDate'] > before, created['UserCreateDate']
        state['sub'][row['email']] = created['Username']
        if i == 0:
            # Right after creation the record holds exactly what the article's listuser.py printed.
            fresh = client.admin_get_user(UserPoolId=pid, Username=row['email'])
            fa = attrs(fresh)
            assert sorted(fa) == ['email', 'email_verified', 'phone_number', 'phone_number_verified', 'sub'], sorted(fa)
            # Verified as the admin said. Cognito keeps a boolean attribute's text as sent ('True' here; the
            # article's listing of a console-made user shows 'true'), so compare without case.
            assert (fa['email_verified'].lower(), fa['phone_number_verified'].lower()) == ('true', 'true'), fa
            assert fresh['Username'] == created['Username'], fresh['Username']
        client.admin_update_user_attributes(
            UserPoolId=pid,
            Username=row['email'],
            UserAttributes=[
                {'Name': 'birthdate', 'Value': row['birthdate']},
                {'Name': 'address', 'Value': row['address']},
                {'Name': 'family_name', 'Value': row['family_name']},
                {'Name': 'given_name', 'Value': row['given_name']},
                {'Name': 'middle_name', 'Value': row['middle_name']},
                {'Name': 'name', 'Value': f'{row["given_name"]} {row["family_name"]}'},
                {'Name': 'gender', 'Value': row['gender']},
                {'Name': 'custom:Company', 'Value': row['company']},
            ],
        )
        for group in row['groups']:
            client.admin_add_user_to_group(UserPoolId=pid, Username=row['email'], GroupName=group)
    assert len(set(state['sub'].values())) == len(USERS), 'two users got the same sub'


@step('each user record has the CSV attributes; the pool counts the users')
def _():
    pid = state['pool_id']
    for row in USERS:
        u = client.admin_get_user(UserPoolId=pid, Username=row['email'])
        a = attrs(u)
        for flag in ('email_verified', 'phone_number_verified'):
            a[flag] = a.get(flag, '').lower()
        expected = {
            'sub': state['sub'][row['email']], 'email': row['email'], 'email_verified': 'true',
            'phone_number': row['phone_number'], 'phone_number_verified': 'true',
            'given_name': row['given_name'], 'middle_name': row['middle_name'], 'family_name': row['family_name'],
            'name': f'{row["given_name"]} {row["family_name"]}', 'birthdate': row['birthdate'],
            'gender': row['gender'], 'address': row['address'], 'custom:Company': row['company'],
        }
        assert a == expected, f'{row["email"]}: {a} != {expected}'
        assert u['Username'] == state['sub'][row['email']] and u['Enabled'] is True, u
        assert u['UserStatus'] == 'FORCE_CHANGE_PASSWORD', u['UserStatus']
        assert u['UserLastModifiedDate'] >= u['UserCreateDate'], u
    # The user can also be addressed by sub, the username Cognito generated.
    first = USERS[0]['email']
    assert attrs(client.admin_get_user(UserPoolId=pid, Username=state['sub'][first]))['email'] == first
    n = client.describe_user_pool(UserPoolId=pid)['UserPool']['EstimatedNumberOfUsers']
    assert n == len(USERS), f'EstimatedNumberOfUsers {n}'


@step('the invitation email carries the template and a temporary password that fits the policy')
def _():
    pid = state['pool_id']
    for row in USERS:
        msgs = outbox(pid, row['email'])
        assert len(msgs) == 1, f'{row["email"]}: {len(msgs)} messages: {msgs}'
        m = msgs[0]
        assert m['channel'] == 'EMAIL' and m['subject'] == INVITE_SUBJECT, m
        assert '{####}' not in m['body'] and '{username}' not in m['body'], m['body']
        assert m['body'].startswith('Hello,\nan administrator has added you to the Testme user pool.\n'), m['body']
        found = re.search(r'^Temporary password: (.+)$', m['body'], re.M)
        assert found, m['body']
        pw = found.group(1)
        assert len(pw) >= 8 and re.search('[a-z]', pw) and re.search('[A-Z]', pw) and re.search('[0-9]', pw) \
            and re.search(r'[^A-Za-z0-9]', pw), f'temporary password {pw!r} does not satisfy the password policy'
        # Only email was asked for: no SMS to the phone.
        assert outbox(pid, row['phone_number']) == [], f'unexpected SMS to {row["phone_number"]}'


@step('AdminCreateUser: MessageAction SUPPRESS sends nothing; a duplicate email is rejected')
def _():
    pid = state['pool_id']
    u = client.admin_create_user(UserPoolId=pid, Username='quiet@example.com', MessageAction='SUPPRESS',
                                 TemporaryPassword='Temp-Passw0rd!',
                                 UserAttributes=[{'Name': 'email', 'Value': 'quiet@example.com'}])['User']
    assert UUID_RE.match(u['Username']), u
    assert outbox(pid, 'quiet@example.com') == [], 'SUPPRESS still sent a message'
    client.admin_delete_user(UserPoolId=pid, Username='quiet@example.com')
    expect_error(errors.UsernameExistsException, client.admin_create_user,
                 'An account with the given email already exists.',
                 UserPoolId=pid, Username=USERS[1]['email'], MessageAction='SUPPRESS')


@step('AdminUpdateUserAttributes errors: unknown user, attribute outside the schema')
def _():
    pid = state['pool_id']
    expect_error(errors.UserNotFoundException, client.admin_update_user_attributes, 'User does not exist.',
                 UserPoolId=pid, Username='nobody@example.com', UserAttributes=[{'Name': 'given_name', 'Value': 'X'}])
    expect_error(errors.InvalidParameterException, client.admin_update_user_attributes,
                 UserPoolId=pid, Username=USERS[0]['email'], UserAttributes=[{'Name': 'custom:Nope', 'Value': 'X'}])
    client.admin_update_user_attributes(UserPoolId=pid, Username=USERS[0]['email'],
                                        UserAttributes=[{'Name': 'custom:department', 'Value': 'Security'}])
    a = attrs(client.admin_get_user(UserPoolId=pid, Username=USERS[0]['email']))
    assert a.get('custom:department') == 'Security' and a.get('custom:Company') == USERS[0]['company'], a


@step('AdminAddUserToGroup errors: unknown user, unknown group')
def _():
    pid = state['pool_id']
    expect_error(errors.UserNotFoundException, client.admin_add_user_to_group, 'User does not exist.',
                 UserPoolId=pid, Username='nobody@example.com', GroupName='S3ReadOnly')
    expect_error(errors.ResourceNotFoundException, client.admin_add_user_to_group, 'Group not found.',
                 UserPoolId=pid, Username=USERS[0]['email'], GroupName='NoSuchGroup')
    # Adding a member again is not an error.
    client.admin_add_user_to_group(UserPoolId=pid, Username=USERS[0]['email'], GroupName=USERS[0]['groups'][0])


# --------------------------------------------------------------------------------------------- listing users


@step('ListUsers returns every user with the article\'s fields')
def _():
    pid = state['pool_id']
    users = client.list_users(UserPoolId=pid)['Users']
    assert sorted(u['Username'] for u in users) == sorted(state['sub'].values()), f'{len(users)} users listed'
    for u in users:
        assert u['Enabled'] is True and u['UserStatus'] == 'FORCE_CHANGE_PASSWORD', u
        assert isinstance(u['UserCreateDate'], datetime.datetime) and isinstance(u['UserLastModifiedDate'], datetime.datetime), u
        assert attrs(u)['sub'] == u['Username'], u
    only = client.list_users(UserPoolId=pid, AttributesToGet=['email'], Limit=5)['Users']
    assert len(only) == 5 and all(sorted(attrs(u)) == ['email'] for u in only), only


@step('ListUsers Filter: email = "..." and family_name ^= "Mac"')
def _():
    pid = state['pool_id']
    row = USERS[7]
    res = client.list_users(UserPoolId=pid, Filter=f'email = "{row["email"]}"')['Users']
    assert [u['Username'] for u in res] == [state['sub'][row['email']]], res
    mac = sorted(state['sub'][r['email']] for r in USERS if r['family_name'].startswith('Mac'))
    assert len(mac) >= 2, 'users.csv should have several Mac... family names'
    res = client.list_users(UserPoolId=pid, Filter='family_name ^= "Mac"')['Users']
    assert sorted(u['Username'] for u in res) == mac, [attrs(u)['family_name'] for u in res]
    res = client.list_users(UserPoolId=pid, Filter='given_name = "Nobody"')['Users']
    assert res == [], res
    res = client.list_users(UserPoolId=pid, Filter=f'phone_number = "{USERS[3]["phone_number"]}"')['Users']
    assert [attrs(u)['email'] for u in res] == [USERS[3]['email']], res
    expect_error(errors.InvalidParameterException, client.list_users, UserPoolId=pid, Filter='family_name ~ "Mac"')
    # Custom attributes are not searchable.
    expect_error(errors.InvalidParameterException, client.list_users, UserPoolId=pid, Filter='custom:Company = "Acme"')


@step('ListUsers pages: Limit=10 by PaginationToken, and boto3\'s list_users paginator')
def _():
    pid = state['pool_id']
    seen, sizes, token = [], [], None
    while True:
        kw = {'PaginationToken': token} if token else {}
        page = client.list_users(UserPoolId=pid, Limit=10, **kw)
        sizes.append(len(page['Users']))
        seen += [u['Username'] for u in page['Users']]
        token = page.get('PaginationToken')
        if not token:
            break
        assert len(sizes) < 10, 'pagination does not end'
    n = len(USERS)
    assert sizes == [10] * (n // 10) + ([n % 10] if n % 10 else []), f'page sizes {sizes}'
    assert len(seen) == len(set(seen)) and set(seen) == set(state['sub'].values()), 'pages overlap or miss users'
    pages = list(client.get_paginator('list_users').paginate(UserPoolId=pid, PaginationConfig={'PageSize': 10}))
    assert [len(p['Users']) for p in pages] == sizes, [len(p['Users']) for p in pages]
    names = [u['Username'] for p in pages for u in p['Users']]
    assert sorted(names) == sorted(seen), 'paginator saw other users'
    # A filter combines with paging: two pages of family_name ^= "Mac".
    mac = [r for r in USERS if r['family_name'].startswith('Mac')]
    fpages = list(client.get_paginator('list_users').paginate(
        UserPoolId=pid, Filter='family_name ^= "Mac"', PaginationConfig={'PageSize': 2}))
    got = sorted(attrs(u)['email'] for p in fpages for u in p['Users'])
    assert got == sorted(r['email'] for r in mac), got
    assert all(len(p['Users']) <= 2 for p in fpages) and len(fpages) >= len(mac) // 2, [len(p['Users']) for p in fpages]
    expect_error(errors.InvalidParameterException, client.list_users,
                 "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: "
                 'Member must have value less than or equal to 60',
                 UserPoolId=pid, Limit=61)
    expect_error(errors.ResourceNotFoundException, client.list_users, UserPoolId=f'{REGION}_AAAAAAAAA')


@step('ListUsersInGroup (pages too) and AdminListGroupsForUser')
def _():
    pid = state['pool_id']
    for group in GROUPS:
        expected = sorted(state['sub'][r['email']] for r in USERS if group in r['groups'])
        members = client.list_users_in_group(UserPoolId=pid, GroupName=group)['Users']
        assert sorted(u['Username'] for u in members) == expected, f'{group}: {len(members)} members, expected {len(expected)}'
        pages = list(client.get_paginator('list_users_in_group').paginate(
            UserPoolId=pid, GroupName=group, PaginationConfig={'PageSize': 3}))
        assert all(len(p['Users']) <= 3 for p in pages), [len(p['Users']) for p in pages]
        assert sorted(u['Username'] for p in pages for u in p['Users']) == expected, f'{group}: paged members differ'
    for row in USERS:
        groups = client.admin_list_groups_for_user(UserPoolId=pid, Username=row['email'])['Groups']
        assert sorted(g['GroupName'] for g in groups) == sorted(row['groups']), f'{row["email"]}: {groups}'
        for g in groups:
            assert (g['Precedence'], g['RoleArn']) == (GROUPS[g['GroupName']]['Precedence'], GROUPS[g['GroupName']]['RoleArn']), g
    expect_error(errors.ResourceNotFoundException, client.list_users_in_group, UserPoolId=pid, GroupName='NoSuchGroup')
    expect_error(errors.UserNotFoundException, client.admin_list_groups_for_user,
                 UserPoolId=pid, Username='nobody@example.com')


# --------------------------------------------------------------------------------------------- removing users


@step('disable then delete a user (the console way)')
def _():
    pid = state['pool_id']
    row = next(r for r in USERS if r['groups'])
    email = row['email']
    client.admin_disable_user(UserPoolId=pid, Username=email)
    u = client.admin_get_user(UserPoolId=pid, Username=email)
    assert u['Enabled'] is False, u
    disabled = client.list_users(UserPoolId=pid, Filter='status = "Disabled"')['Users']
    assert [x['Username'] for x in disabled] == [state['sub'][email]], disabled
    client.admin_delete_user(UserPoolId=pid, Username=email)
    expect_error(errors.UserNotFoundException, client.admin_get_user, 'User does not exist.', UserPoolId=pid, Username=email)
    expect_error(errors.UserNotFoundException, client.admin_get_user, 'User does not exist.',
                 UserPoolId=pid, Username=state['sub'][email])
    for group in row['groups']:
        members = client.list_users_in_group(UserPoolId=pid, GroupName=group)['Users']
        assert state['sub'][email] not in {m['Username'] for m in members}, f'deleted user still in {group}'
    state.setdefault('deleted', []).append(email)


@step('delete an enabled user directly (the API does not require disabling first)')
def _():
    pid = state['pool_id']
    email = next(r['email'] for r in USERS if r['email'] not in state.get('deleted', []) and r['groups'] == [])
    client.admin_delete_user(UserPoolId=pid, Username=email)
    expect_error(errors.UserNotFoundException, client.admin_get_user, 'User does not exist.', UserPoolId=pid, Username=email)
    expect_error(errors.UserNotFoundException, client.admin_delete_user, 'User does not exist.', UserPoolId=pid, Username=email)
    expect_error(errors.UserNotFoundException, client.admin_disable_user, 'User does not exist.', UserPoolId=pid, Username=email)
    state['deleted'].append(email)
    left = list(client.get_paginator('list_users').paginate(UserPoolId=pid, PaginationConfig={'PageSize': 10}))
    names = {u['Username'] for p in left for u in p['Users']}
    assert names == {state['sub'][r['email']] for r in USERS if r['email'] not in state['deleted']}, f'{len(names)} left'


@step('DeleteUserPool; the pool is gone')
def _():
    pid = state['pool_id']
    client.delete_user_pool(UserPoolId=pid)
    state['pool_deleted'] = True
    expect_error(errors.ResourceNotFoundException, client.describe_user_pool, f'User pool {pid} does not exist.', UserPoolId=pid)
    expect_error(errors.ResourceNotFoundException, client.list_users, f'User pool {pid} does not exist.', UserPoolId=pid)
    assert pid not in {p['Id'] for p in client.list_user_pools(MaxResults=60)['UserPools']}


finish()
