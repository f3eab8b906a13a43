#!/usr/bin/env python3
"""Self-service operations through boto3 (unsigned, as an app would call them), with a client secret.

A pool that auto-verifies email and an app client with a secret and USER_PASSWORD_AUTH: sign_up with
SECRET_HASH, confirm_sign_up with the code read from the server's outbox, initiate_auth, get_user,
update_user_attributes + verify_user_attribute, change_password, forgot_password + confirm_forgot_password,
revoke_token, global_sign_out; each with an error path (wrong code, wrong secret hash, revoked token).

Environment: TESSERA_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION.
"""
from tessera_client import app, expect_error, outbox_code, secret_hash, step
from tessera_client import client as admin

step('pool and confidential app client')
pool_id = admin.create_user_pool(PoolName='boto3-self', AutoVerifiedAttributes=['email'])['UserPool']['Id']
c = admin.create_user_pool_client(UserPoolId=pool_id, ClientName='server-app', GenerateSecret=True,
                                  ExplicitAuthFlows=['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])['UserPoolClient']
cid, secret = c['ClientId'], c['ClientSecret']
sh = lambda u: secret_hash(secret, u, cid)['SECRET_HASH']

step('sign_up: wrong secret hash refused, right one accepted')
expect_error('NotAuthorizedException', f'Unable to verify secret hash for client {cid}', lambda: app.sign_up(ClientId=cid, Username='lee', Password='Pass-word-11', SecretHash=sh('other'),
                                                           UserAttributes=[{'Name': 'email', 'Value': 'lee@example.com'}]))
r = app.sign_up(ClientId=cid, Username='lee', Password='Pass-word-11', SecretHash=sh('lee'), UserAttributes=[{'Name': 'email', 'Value': 'lee@example.com'}])
assert r['UserConfirmed'] is False and r['CodeDeliveryDetails']['DeliveryMedium'] == 'EMAIL', r

step('confirm_sign_up: wrong code, then the emailed one')
code = outbox_code(pool_id, 'lee@example.com')
expect_error('CodeMismatchException', None, lambda: app.confirm_sign_up(ClientId=cid, Username='lee', SecretHash=sh('lee'), ConfirmationCode='000000' if code != '000000' else '111111'))
app.confirm_sign_up(ClientId=cid, Username='lee', SecretHash=sh('lee'), ConfirmationCode=code)

step('initiate_auth USER_PASSWORD_AUTH, get_user')
auth = app.initiate_auth(ClientId=cid, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'lee', 'PASSWORD': 'Pass-word-11', 'SECRET_HASH': sh('lee')})['AuthenticationResult']
user = app.get_user(AccessToken=auth['AccessToken'])
attrs = {a['Name']: a['Value'] for a in user['UserAttributes']}
assert user['Username'] == 'lee' and attrs['email_verified'] == 'true', user

step('update_user_attributes sends a code to the new email; verify_user_attribute')
r = app.update_user_attributes(AccessToken=auth['AccessToken'], UserAttributes=[{'Name': 'email', 'Value': 'lee2@example.com'}])
assert r['CodeDeliveryDetailsList'][0]['AttributeName'] == 'email', r
expect_error('CodeMismatchException', None, lambda: app.verify_user_attribute(AccessToken=auth['AccessToken'], AttributeName='email', Code='999999' if outbox_code(pool_id, 'lee2@example.com') != '999999' else '888888'))
app.verify_user_attribute(AccessToken=auth['AccessToken'], AttributeName='email', Code=outbox_code(pool_id, 'lee2@example.com'))

step('change_password')
expect_error('NotAuthorizedException', 'Incorrect username or password.', lambda: app.change_password(AccessToken=auth['AccessToken'], PreviousPassword='Wrong-pass-11', ProposedPassword='Pass-word-22'))
app.change_password(AccessToken=auth['AccessToken'], PreviousPassword='Pass-word-11', ProposedPassword='Pass-word-22')

step('forgot_password + confirm_forgot_password')
r = app.forgot_password(ClientId=cid, Username='lee', SecretHash=sh('lee'))
assert r['CodeDeliveryDetails']['Destination'] == 'l***@e***', r
app.confirm_forgot_password(ClientId=cid, Username='lee', SecretHash=sh('lee'), ConfirmationCode=outbox_code(pool_id, 'lee2@example.com'), Password='Pass-word-33')
auth = app.initiate_auth(ClientId=cid, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'lee', 'PASSWORD': 'Pass-word-33', 'SECRET_HASH': sh('lee')})['AuthenticationResult']

step('revoke_token: the session ends, refresh refused')
expect_error('UnauthorizedException', None, lambda: app.revoke_token(ClientId=cid, Token=auth['RefreshToken']))
app.revoke_token(ClientId=cid, ClientSecret=secret, Token=auth['RefreshToken'])
expect_error('NotAuthorizedException', 'Access Token has been revoked', lambda: app.get_user(AccessToken=auth['AccessToken']))

step('global_sign_out')
auth = app.initiate_auth(ClientId=cid, AuthFlow='USER_PASSWORD_AUTH', AuthParameters={'USERNAME': 'lee', 'PASSWORD': 'Pass-word-33', 'SECRET_HASH': sh('lee')})['AuthenticationResult']
app.global_sign_out(AccessToken=auth['AccessToken'])
expect_error('NotAuthorizedException', 'Access Token has been revoked', lambda: app.get_user(AccessToken=auth['AccessToken']))

print('all self-service steps passed')
