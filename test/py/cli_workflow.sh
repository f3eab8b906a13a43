#!/usr/bin/env bash
# The article's administrator workflow, shortened, through the AWS CLI (`aws cognito-idp ... --endpoint-url`):
# a pool with email usernames and admin-only sign-up, a group with a role and precedence, three users created,
# updated and grouped, filtered and paged listings, disable + delete, error paths, and deleting the pool.
#
# Environment: TESSERA_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION.
# Prints a step log; exits non-zero at the first failed check.
set -euo pipefail

: "${TESSERA_ENDPOINT:?TESSERA_ENDPOINT is not set}"
: "${AWS_DEFAULT_REGION:?AWS_DEFAULT_REGION is not set}"
export AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard AWS_PAGER=""
ACCOUNT=123456789012
POOL_ID=""

idp() { aws cognito-idp --endpoint-url "$TESSERA_ENDPOINT" --output json "$@"; }
step() { printf 'step %s\n' "$*"; }
fail() {
  printf 'FAIL %s\n' "$*"
  [[ -n "$POOL_ID" ]] && idp delete-user-pool --user-pool-id "$POOL_ID" >/dev/null 2>&1 || true
  exit 1
}
# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [[ "$1" == "$2" ]] || fail "$3: expected [$2], got [$1]"; }
# py EXPR JSON: evaluates a python expression over the parsed JSON `d`, prints the result as JSON.
py() { python3 -c 'import json,sys; d=json.loads(sys.argv[2]); print(json.dumps(eval(sys.argv[1]), sort_keys=True))' "$1" "$2"; }
# expect_error CODE MESSAGE ARGS...: the command must fail with that error code (and message, if not empty).
expect_error() {
  local code="$1" message="$2" out rc=0
  shift 2
  out="$(idp "$@" 2>&1)" || rc=$?
  [[ $rc -ne 0 ]] || fail "aws cognito-idp $1 succeeded; expected $code: $out"
  [[ "$out" == *"($code)"* ]] || fail "aws cognito-idp $1: expected $code, got: $out"
  [[ -z "$message" || "$out" == *": $message"* ]] || fail "aws cognito-idp $1: expected message [$message], got: $out"
}

trap 'fail "line $LINENO: a command failed (exit $?); its error is above"' ERR
aws --version

step 'create-user-pool (email as username, verified phone, optional MFA with an SMS role, admin-only sign-up)'
out="$(idp create-user-pool --pool-name Testme-cli \
  --username-attributes email \
  --auto-verified-attributes phone_number \
  --mfa-configuration OPTIONAL \
  --sms-configuration "SnsCallerArn=arn:aws:iam::$ACCOUNT:role/service-role/Testme-SMS-Role,ExternalId=testme-cli" \
  --schema 'Name=Company,AttributeDataType=String,Mutable=true,StringAttributeConstraints={MinLength=1,MaxLength=256}' \
  --admin-create-user-config '{"AllowAdminCreateUserOnly":true,"InviteMessageTemplate":{"EmailSubject":"Welcome to Testme","EmailMessage":"Username {username}, temporary password {####}","SMSMessage":"Username {username}, temporary password {####}"}}')"
POOL_ID="$(py 'd["UserPool"]["Id"]' "$out" | tr -d '"')"
[[ "$POOL_ID" =~ ^${AWS_DEFAULT_REGION}_[0-9A-Za-z]{9}$ ]] || fail "pool id [$POOL_ID]"
echo "     pool $POOL_ID"

step 'describe-user-pool'
out="$(idp describe-user-pool --user-pool-id "$POOL_ID")"
expect_eq "$(py '[d["UserPool"][k] for k in ("Name","UsernameAttributes","AutoVerifiedAttributes","MfaConfiguration")]' "$out")" \
  '["Testme-cli", ["email"], ["phone_number"], "OPTIONAL"]' 'pool settings'
expect_eq "$(py 'd["UserPool"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"]' "$out")" 'true' 'AllowAdminCreateUserOnly'
expect_eq "$(py '[a["StringAttributeConstraints"] for a in d["UserPool"]["SchemaAttributes"] if a["Name"]=="custom:Company"]' "$out")" \
  '[{"MaxLength": "256", "MinLength": "1"}]' 'custom:Company'
expect_eq "$(idp describe-user-pool --user-pool-id "$POOL_ID" --query 'UserPool.SmsConfiguration.ExternalId' --output text)" \
  'testme-cli' 'SmsConfiguration (--query)'

step 'create-group S3ReadOnly (role, precedence) and Administrators'
out="$(idp create-group --user-pool-id "$POOL_ID" --group-name S3ReadOnly --description 'S3 read-only' \
  --role-arn "arn:aws:iam::$ACCOUNT:role/Testme-S3ReadOnly" --precedence 10)"
expect_eq "$(py '[d["Group"][k] for k in ("GroupName","Precedence","RoleArn")]' "$out")" \
  "[\"S3ReadOnly\", 10, \"arn:aws:iam::$ACCOUNT:role/Testme-S3ReadOnly\"]" 'group'
idp create-group --user-pool-id "$POOL_ID" --group-name Administrators --precedence 1 >/dev/null
expect_error InvalidParameterException "1 validation error detected: Value 'S3 Read Only' at 'groupName' failed to satisfy constraint" \
  create-group --user-pool-id "$POOL_ID" --group-name 'S3 Read Only'
expect_error GroupExistsException '' create-group --user-pool-id "$POOL_ID" --group-name S3ReadOnly

step 'create-user-pool-client'
expect_eq "$(idp create-user-pool-client --user-pool-id "$POOL_ID" --client-name testme-cli --generate-secret \
  --query 'UserPoolClient.[ClientName, length(ClientSecret) > `0`]' --output text)" $'testme-cli\tTrue' 'app client'

step 'admin-create-user x3, admin-update-user-attributes, admin-add-user-to-group (the CSV flow, from users.csv)'
declare -A SUB=()
EMAILS=()
while IFS=, read -r email given _middle family phone _rest; do
  [[ "$email" == email ]] && continue
  EMAILS+=("$email")
  out="$(idp admin-create-user --user-pool-id "$POOL_ID" --username "$email" --message-action SUPPRESS \
    --user-attributes "Name=email,Value=$email" "Name=phone_number,Value=$phone" \
    Name=email_verified,Value=True Name=phone_number_verified,Value=True)"
  SUB[$email]="$(py 'd["User"]["Username"]' "$out" | tr -d '"')"
  [[ "${SUB[$email]}" =~ ^[0-9a-f-]{36}$ ]] || fail "username for $email is not a sub: ${SUB[$email]}"
  expect_eq "$(py 'd["User"]["UserStatus"]' "$out")" '"FORCE_CHANGE_PASSWORD"' "status of $email"
  idp admin-update-user-attributes --user-pool-id "$POOL_ID" --username "$email" \
    --user-attributes "Name=given_name,Value=$given" "Name=family_name,Value=$family" Name=custom:Company,Value=Acme  >/dev/null
  (( ${#EMAILS[@]} >= 3 )) && break
done < "$(dirname "$0")/users.csv"
idp admin-add-user-to-group --user-pool-id "$POOL_ID" --username "${EMAILS[0]}" --group-name Administrators >/dev/null
idp admin-add-user-to-group --user-pool-id "$POOL_ID" --username "${EMAILS[1]}" --group-name S3ReadOnly >/dev/null
idp admin-add-user-to-group --user-pool-id "$POOL_ID" --username "${EMAILS[2]}" --group-name S3ReadOnly >/dev/null
expect_error UsernameExistsException '' admin-create-user --user-pool-id "$POOL_ID" --username "${EMAILS[0]}" --message-action SUPPRESS
expect_error InvalidParameterException 'Username should be an email.' \
  admin-create-user --user-pool-id "$POOL_ID" --username not-an-email --message-action SUPPRESS

step 'admin-get-user'
out="$(idp admin-get-user --user-pool-id "$POOL_ID" --username "${EMAILS[0]}")"
expect_eq "$(py '{a["Name"]: a["Value"].lower() if a["Name"] == "email_verified" else a["Value"] for a in d["UserAttributes"] if a["Name"] in ("email","family_name","custom:Company","email_verified")}' "$out")" \
  "{\"custom:Company\": \"Acme\", \"email\": \"${EMAILS[0]}\", \"email_verified\": \"true\", \"family_name\": \"MacDonald\"}" 'attributes'

step 'list-users --filter and paging'
expect_eq "$(idp list-users --user-pool-id "$POOL_ID" --filter "email = \"${EMAILS[1]}\"" --query 'Users[].Username' --output text)" \
  "${SUB[${EMAILS[1]}]}" 'filter email ='
expect_eq "$(idp list-users --user-pool-id "$POOL_ID" --filter 'family_name ^= "Mac"' --query 'length(Users)')" '3' 'filter family_name ^='
# The CLI follows PaginationToken itself: --page-size 1 still yields all users; --max-items stops early.
expect_eq "$(idp list-users --user-pool-id "$POOL_ID" --page-size 1 --query 'length(Users)')" '3' 'paged list (--page-size 1)'
out="$(idp list-users --user-pool-id "$POOL_ID" --max-items 2)"
expect_eq "$(py '[len(d["Users"]), bool(d.get("NextToken"))]' "$out")" '[2, true]' 'list-users --max-items 2'
expect_error InvalidParameterException "Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60" \
  list-users --user-pool-id "$POOL_ID" --limit 61

step 'list-users-in-group and admin-list-groups-for-user'
expect_eq "$(idp list-users-in-group --user-pool-id "$POOL_ID" --group-name S3ReadOnly --query 'sort(Users[].Username)' --output text)" \
  "$(printf '%s\n' "${SUB[${EMAILS[1]}]}" "${SUB[${EMAILS[2]}]}" | sort | paste -sd $'\t')" 'S3ReadOnly members'
expect_eq "$(idp admin-list-groups-for-user --user-pool-id "$POOL_ID" --username "${EMAILS[0]}" --query 'Groups[].[GroupName,Precedence]' --output text)" \
  $'Administrators\t1' 'groups of the first user'
expect_error ResourceNotFoundException '' list-users-in-group --user-pool-id "$POOL_ID" --group-name NoSuchGroup

step 'admin-disable-user, admin-delete-user'
idp admin-disable-user --user-pool-id "$POOL_ID" --username "${EMAILS[2]}" >/dev/null
expect_eq "$(idp admin-get-user --user-pool-id "$POOL_ID" --username "${EMAILS[2]}" --query Enabled)" 'false' 'Enabled after disable'
idp admin-delete-user --user-pool-id "$POOL_ID" --username "${EMAILS[2]}" >/dev/null
expect_error UserNotFoundException 'User does not exist.' admin-get-user --user-pool-id "$POOL_ID" --username "${EMAILS[2]}"
expect_eq "$(idp list-users-in-group --user-pool-id "$POOL_ID" --group-name S3ReadOnly --query 'Users[].Username' --output text)" \
  "${SUB[${EMAILS[1]}]}" 'S3ReadOnly members after delete'

step 'delete-user-pool'
idp delete-user-pool --user-pool-id "$POOL_ID" >/dev/null
expect_error ResourceNotFoundException "User pool $POOL_ID does not exist." describe-user-pool --user-pool-id "$POOL_ID"
POOL_ID=""
echo 'all CLI steps passed'
