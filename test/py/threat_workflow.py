#!/usr/bin/env python3
"""Threat protection through boto3, happy and error paths.

SetRiskConfiguration / DescribeRiskConfiguration (pool-wide and per client), a breached password refused at
SignUp, AdminInitiateAuth with ContextData rated by risk (a new device is Low and allowed, failures then a
new IP are High and blocked), AdminListUserAuthEvents (paginated) and AdminUpdateAuthEventFeedback, and the
errors of a pool without threat protection.

Environment: TESSERA_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION. Every step
asserts its result; the script exits 1 on the first failure.
"""
import sys

from tessera_client import client, expect_error, step

GOOD = 'Vx7#quorum-Lantern'

plain = client.create_user_pool(PoolName='plain')['UserPool']['Id']
expect_error('UserPoolAddOnNotEnabledException', None, client.describe_risk_configuration, UserPoolId=plain)
step('a pool without threat protection refuses DescribeRiskConfiguration')

pool = client.create_user_pool(PoolName='plus', UserPoolTier='PLUS', UserPoolAddOns={'AdvancedSecurityMode': 'ENFORCED'})['UserPool']['Id']
app = client.create_user_pool_client(UserPoolId=pool, ClientName='app', ExplicitAuthFlows=['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']['ClientId']
client.set_risk_configuration(
    UserPoolId=pool,
    CompromisedCredentialsRiskConfiguration={'Actions': {'EventAction': 'BLOCK'}},
    AccountTakeoverRiskConfiguration={'Actions': {
        'LowAction': {'Notify': False, 'EventAction': 'NO_ACTION'},
        'HighAction': {'Notify': False, 'EventAction': 'BLOCK'},
    }},
)
cfg = client.describe_risk_configuration(UserPoolId=pool, ClientId=app)['RiskConfiguration']
assert cfg['ClientId'] == 'ALL' and cfg['AccountTakeoverRiskConfiguration']['Actions']['HighAction']['EventAction'] == 'BLOCK', cfg
expect_error('InvalidParameterException', None, client.set_risk_configuration, UserPoolId=pool, RiskExceptionConfiguration={'BlockedIPRangeList': ['not-an-ip']})
step('SetRiskConfiguration / DescribeRiskConfiguration, a client inherits the pool-wide configuration, bad CIDR refused')

msg = expect_error('InvalidPasswordException', None, client.sign_up, ClientId=app, Username='mallory', Password='P@ssw0rd')
assert msg == 'Provided password cannot be used for security reasons.', msg
step('a breached password is refused at sign-up')

client.admin_create_user(UserPoolId=pool, Username='grace', MessageAction='SUPPRESS')
client.admin_set_user_password(UserPoolId=pool, Username='grace', Password=GOOD, Permanent=True)


def sign_in(ip, agent, password=GOOD):
    return client.admin_initiate_auth(
        UserPoolId=pool, ClientId=app, AuthFlow='ADMIN_USER_PASSWORD_AUTH',
        AuthParameters={'USERNAME': 'grace', 'PASSWORD': password},
        ContextData={'IpAddress': ip, 'ServerName': 'app.example.com', 'ServerPath': '/login',
                     'HttpHeaders': [{'headerName': 'User-Agent', 'headerValue': agent}]})


assert 'AccessToken' in sign_in('192.0.2.1', 'Firefox')['AuthenticationResult']
assert 'AccessToken' in sign_in('192.0.2.1', 'Safari')['AuthenticationResult']
events = client.admin_list_user_auth_events(UserPoolId=pool, Username='grace')['AuthEvents']
assert events[0]['EventRisk'] == {'RiskDecision': 'AccountTakeover', 'RiskLevel': 'Low', 'CompromisedCredentialsDetected': False}, events[0]
step('a new device is Low risk and allowed (NO_ACTION)')

for _ in range(3):
    expect_error('NotAuthorizedException', None, sign_in, '192.0.2.1', 'Firefox', 'Wrong-passw0rd!')
msg = expect_error('NotAuthorizedException', None, sign_in, '203.0.113.9', 'Firefox')
assert msg == 'Unable to login because of security reasons.', msg
step('three failures then a new IP are High risk and blocked')

page = client.admin_list_user_auth_events(UserPoolId=pool, Username='grace', MaxResults=4)
assert len(page['AuthEvents']) == 4 and 'NextToken' in page, page
rest = client.admin_list_user_auth_events(UserPoolId=pool, Username='grace', MaxResults=4, NextToken=page['NextToken'])
assert len(rest['AuthEvents']) == 2 and 'NextToken' not in rest, rest
blocked = page['AuthEvents'][0]
assert blocked['EventResponse'] == 'Fail' and blocked['EventRisk']['RiskDecision'] == 'Block', blocked
assert blocked['EventContextData'] == {'IpAddress': '203.0.113.9', 'DeviceName': 'Firefox'}, blocked
step('AdminListUserAuthEvents lists all six sign-ins, newest first, in pages')

client.admin_update_auth_event_feedback(UserPoolId=pool, Username='grace', EventId=blocked['EventId'], FeedbackValue='Invalid')
again = client.admin_list_user_auth_events(UserPoolId=pool, Username='grace', MaxResults=1)['AuthEvents'][0]
assert again['EventFeedback']['FeedbackValue'] == 'Invalid' and again['EventFeedback']['Provider'] == 'Admin', again
expect_error('ResourceNotFoundException', None, client.admin_update_auth_event_feedback, UserPoolId=pool, Username='grace', EventId='nope', FeedbackValue='Valid')
expect_error('UserNotFoundException', None, client.admin_list_user_auth_events, UserPoolId=pool, Username='nobody')
step('AdminUpdateAuthEventFeedback stores feedback; unknown events and users refused')

print('all threat protection steps passed')
sys.exit(0)
