"""SigV4 through boto3 against a Tessera server (run by test/sigv4.e2e.test.ts).

Usage: sigv4_check.py ENDPOINT REGION EXPECT
  EXPECT is 'ok' (list_user_pools must succeed; prints the pool ids as JSON) or an error code
  (e.g. InvalidSignatureException) that the call must fail with.
Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Exit 0 on the expected outcome.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main() -> int:
    endpoint, region, expect = sys.argv[1], sys.argv[2], sys.argv[3]
    client = boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name=region,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    try:
        out = client.list_user_pools(MaxResults=10)
    except ClientError as e:
        code = e.response["Error"]["Code"]
        print(json.dumps({"error": code, "message": e.response["Error"].get("Message", "")}))
        return 0 if code == expect else 1
    ids = [p["Id"] for p in out["UserPools"]]
    print(json.dumps({"ids": ids}))
    return 0 if expect == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
