"""User pool domains, resource servers and a client_credentials token through boto3 and plain HTTP.

Run by test/oauth-boto3.test.ts against a test server (TESSERA_ENDPOINT, AWS_* in the environment).
"""
import base64
import json
import os
import urllib.error
import urllib.request

import boto3
from botocore.exceptions import ClientError

endpoint = os.environ["TESSERA_ENDPOINT"]
idp = boto3.client("cognito-idp", endpoint_url=endpoint)


def expect_error(code, call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        return e.response["Error"]["Message"]
    raise AssertionError(f"expected {code}")


pool = idp.create_user_pool(PoolName="boto3-oauth")["UserPool"]["Id"]

idp.create_user_pool_domain(UserPoolId=pool, Domain="boto3-prefix")
d = idp.describe_user_pool_domain(Domain="boto3-prefix")["DomainDescription"]
assert d["UserPoolId"] == pool and d["Status"] == "ACTIVE", d
assert idp.describe_user_pool(UserPoolId=pool)["UserPool"]["Domain"] == "boto3-prefix"
assert idp.describe_user_pool_domain(Domain="nobody-has-this")["DomainDescription"] == {}
msg = expect_error("InvalidParameterException", idp.create_user_pool_domain, UserPoolId=pool, Domain="boto3-second")
assert msg == "User pool already has a domain configured.", msg

scopes = [{"ScopeName": "read", "ScopeDescription": "Read"}]
rs = idp.create_resource_server(UserPoolId=pool, Identifier="orders", Name="Orders", Scopes=scopes)["ResourceServer"]
assert rs["Scopes"] == scopes, rs
listed = idp.list_resource_servers(UserPoolId=pool, MaxResults=10)["ResourceServers"]
assert [s["Identifier"] for s in listed] == ["orders"], listed
expect_error("ResourceNotFoundException", idp.describe_resource_server, UserPoolId=pool, Identifier="missing")
expect_error(
    "ScopeDoesNotExistException",
    idp.create_user_pool_client,
    UserPoolId=pool,
    ClientName="m2m",
    GenerateSecret=True,
    AllowedOAuthFlowsUserPoolClient=True,
    AllowedOAuthFlows=["client_credentials"],
    AllowedOAuthScopes=["orders/write"],
)

client = idp.create_user_pool_client(
    UserPoolId=pool,
    ClientName="m2m",
    GenerateSecret=True,
    AllowedOAuthFlowsUserPoolClient=True,
    AllowedOAuthFlows=["client_credentials"],
    AllowedOAuthScopes=["orders/read"],
)["UserPoolClient"]


def token(secret):
    basic = base64.b64encode(f"{client['ClientId']}:{secret}".encode()).decode()
    req = urllib.request.Request(
        f"{endpoint}/oauth2/token",
        data=b"grant_type=client_credentials&scope=orders%2Fread",
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(req) as res:
            return res.status, json.load(res)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


status, body = token(client["ClientSecret"])
assert status == 200 and body["token_type"] == "Bearer", body
claims = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[1] + "=="))
assert claims["scope"] == "orders/read" and claims["client_id"] == client["ClientId"], claims
status, body = token("wrong")
assert status == 401 and body == {"error": "invalid_client"}, (status, body)

idp.delete_resource_server(UserPoolId=pool, Identifier="orders")
idp.delete_user_pool_domain(UserPoolId=pool, Domain="boto3-prefix")
assert idp.describe_user_pool_domain(Domain="boto3-prefix")["DomainDescription"] == {}
print("all oauth configuration steps passed")
