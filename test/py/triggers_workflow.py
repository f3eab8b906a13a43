#!/usr/bin/env python3
"""Lambda triggers through boto3: the test routes the ARNs below to its webhook receiver (TESSERA_LAMBDA_FUNCTIONS).

pre-sign-up refuses when ValidationData has refuse=yes and auto-confirms when it has auto=yes; define/create/verify
ask one CUSTOM_CHALLENGE (answer: blue); pre-token (V2_0) adds a `tier` claim to the ID token.

Environment: TESSERA_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION.
"""
from tessera_client import REGION, app, claims, expect_error, step
from tessera_client import client as admin


def arn(name):
    return f'arn:aws:lambda:{REGION}:123456789012:function:{name}'


step('pool with triggers')
pool_id = admin.create_user_pool(PoolName='py-triggers', UserPoolTier='ESSENTIALS', LambdaConfig={
    'PreSignUp': arn('pre-sign-up'),
    'DefineAuthChallenge': arn('define'),
    'CreateAuthChallenge': arn('create'),
    'VerifyAuthChallengeResponse': arn('verify'),
    'PreTokenGenerationConfig': {'LambdaVersion': 'V2_0', 'LambdaArn': arn('pre-token')},
})['UserPool']['Id']
assert admin.describe_user_pool(UserPoolId=pool_id)['UserPool']['LambdaConfig']['PreSignUp'] == arn('pre-sign-up')
client_id = admin.create_user_pool_client(UserPoolId=pool_id, ClientName='app',
                                          ExplicitAuthFlows=['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']['ClientId']

step('pre sign-up refuses')
expect_error('UserLambdaValidationException', 'PreSignUp failed with error Sign-ups from this network are closed..', lambda: app.sign_up(
    ClientId=client_id, Username='mallory', Password='Correct-Horse-9', ValidationData=[{'Name': 'refuse', 'Value': 'yes'}]))
expect_error('UserNotFoundException', None, lambda: admin.admin_get_user(UserPoolId=pool_id, Username='mallory'))

step('pre sign-up auto-confirms')
r = app.sign_up(ClientId=client_id, Username='alice', Password='Correct-Horse-9', ValidationData=[{'Name': 'auto', 'Value': 'yes'}])
assert r['UserConfirmed'] is True, r
assert admin.admin_get_user(UserPoolId=pool_id, Username='alice')['UserStatus'] == 'CONFIRMED'

step('CUSTOM_AUTH: wrong answer, then the right one')
first = app.initiate_auth(ClientId=client_id, AuthFlow='CUSTOM_AUTH', AuthParameters={'USERNAME': 'alice'})
assert first['ChallengeName'] == 'CUSTOM_CHALLENGE', first
assert first['ChallengeParameters']['question'] == 'favourite colour?', first
wrong = app.respond_to_auth_challenge(ClientId=client_id, ChallengeName='CUSTOM_CHALLENGE', Session=first['Session'],
                                      ChallengeResponses={'USERNAME': 'alice', 'ANSWER': 'red'})
assert wrong['ChallengeName'] == 'CUSTOM_CHALLENGE', wrong
right = app.respond_to_auth_challenge(ClientId=client_id, ChallengeName='CUSTOM_CHALLENGE', Session=wrong['Session'],
                                      ChallengeResponses={'USERNAME': 'alice', 'ANSWER': 'blue'})
tokens = right['AuthenticationResult']
assert claims(tokens['IdToken'])['tier'] == 'gold', claims(tokens['IdToken'])

step('pre token generation on refresh')
refreshed = app.initiate_auth(ClientId=client_id, AuthFlow='REFRESH_TOKEN_AUTH', AuthParameters={'REFRESH_TOKEN': tokens['RefreshToken']})
assert claims(refreshed['AuthenticationResult']['IdToken'])['tier'] == 'gold'

print('all trigger steps passed', flush=True)
