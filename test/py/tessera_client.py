"""What the boto3 workflow scripts share: the client for the server under test, a step log, error
expectations, the server's outbox, JWT claims, SECRET_HASH, and SRP-6a exactly as Cognito's clients compute
it (user and device variants), written from the published description, independent of the server's code and
of amazon-cognito-identity-js.

`client` is signed with the admin key, `app` unsigned, as an app ships.

Environment: TESSERA_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION.
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
import urllib.parse
import urllib.request

import boto3
from botocore import UNSIGNED
from botocore.config import Config

ENDPOINT = os.environ['TESSERA_ENDPOINT'].rstrip('/')
REGION = os.environ['AWS_DEFAULT_REGION']
client = boto3.client('cognito-idp', endpoint_url=ENDPOINT, region_name=REGION,
                      config=Config(retries={'max_attempts': 1, 'mode': 'standard'}, read_timeout=30))
# What an app ships: no AWS credentials at all; the self-service and sign-in operations are unsigned.
app = boto3.client('cognito-idp', endpoint_url=ENDPOINT, region_name=REGION,
                   config=Config(signature_version=UNSIGNED, retries={'max_attempts': 1, 'mode': 'standard'}, read_timeout=30))

# --- step log and expected errors ---------------------------------------------------------------------
_STEP = [0]


def step(name):
    _STEP[0] += 1
    print(f'[{_STEP[0]:02}] {name}', flush=True)


def expect_error(code, message, fn, /, *args, **kwargs):
    """Calls fn; it must fail with `code` (and `message` unless None). Returns the message."""
    try:
        fn(*args, **kwargs)
    except client.exceptions.ClientError as e:
        got = (e.response['Error']['Code'], e.response['Error']['Message'])
        assert got[0] == code, f'expected {code}, got {got}'
        if message is not None:
            assert got[1] == message, f'expected {message!r}, got {got[1]!r}'
        return got[1]
    raise AssertionError(f'expected {code}, the call succeeded')


def run(main):
    """Runs a workflow's main(); any failure prints its traceback and exits 1 (the test reads the exit code)."""
    try:
        main()
    except Exception:  # noqa: BLE001 — report any failure with its step
        traceback.print_exc()
        sys.exit(1)


# --- what the server sent, tokens, SECRET_HASH -------------------------------------------------------
def outbox_code(pool_id, destination):
    """The six-digit code of the latest message to `destination` (GET /_tessera/outbox, HTTP Basic with the admin key)."""
    auth = base64.b64encode(f"{os.environ['AWS_ACCESS_KEY_ID']}:{os.environ['AWS_SECRET_ACCESS_KEY']}".encode()).decode()
    q = urllib.parse.urlencode({'userPoolId': pool_id, 'destination': destination})
    req = urllib.request.Request(f'{ENDPOINT}/_tessera/outbox?{q}', headers={'Authorization': f'Basic {auth}'})
    with urllib.request.urlopen(req, timeout=10) as res:
        messages = json.load(res)['messages']
    assert messages, f'nothing sent to {destination}'
    body = messages[-1]['body']
    return next(w for w in body.replace('.', ' ').split() if w.isdigit() and len(w) == 6)


def claims(jwt):
    body = jwt.split('.')[1]
    return json.loads(base64.urlsafe_b64decode(body + '=' * (-len(body) % 4)))


def secret_hash(secret, username, client_id):
    """{'SECRET_HASH': ...} for a client with a secret, {} for one without."""
    if secret is None:
        return {}
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return {'SECRET_HASH': base64.b64encode(digest).decode()}


# --- SRP-6a as Cognito's clients compute it -----------------------------------------------------------
# RFC 3526's 3072-bit group, g = 2, SHA-256, integers hashed in the Java BigInteger.toByteArray form.
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
    """Java BigInteger.toByteArray of a non-negative integer."""
    h = format(n, 'x')
    if len(h) % 2:
        h = '0' + h
    if h[0] in '89abcdef':
        h = '00' + h
    return bytes.fromhex(h)


def sha(*parts):
    return hashlib.sha256(b''.join(parts)).digest()


K = int.from_bytes(sha(enc(N), enc(G)), 'big')


def srp_x(salt, realm, name, password):
    """x = H(salt | H(realm | name | ':' | password)); realm is the pool name (device SRP: the device group key)."""
    return int.from_bytes(sha(enc(salt), sha(f'{realm}{name}:{password}'.encode())), 'big')


class SrpExchange:
    """One SRP sign-in: `srp_a()` for the request, `claim(...)` for the PASSWORD_VERIFIER-style answer."""

    def __init__(self):
        self.a = secrets.randbits(1024)
        self.A = pow(G, self.a, N)

    def srp_a(self):
        return format(self.A, 'x')

    def claim(self, params, realm, name, password, timestamp=None):
        """(PASSWORD_CLAIM_SIGNATURE, TIMESTAMP) for the challenge `params` (SRP_B, SALT, SECRET_BLOCK)."""
        B = int(params['SRP_B'], 16)
        salt = int(params['SALT'], 16)
        u = int.from_bytes(sha(enc(self.A), enc(B)), 'big')
        x = srp_x(salt, realm, name, password)
        S = pow(B - K * pow(G, x, N), self.a + u * x, N)
        prk = hmac.new(enc(u), enc(S), hashlib.sha256).digest()
        key = hmac.new(prk, b'Caldera Derived Key\x01', hashlib.sha256).digest()[:16]
        now = datetime.datetime.now(datetime.timezone.utc)
        ts = timestamp or now.strftime('%a %b ') + str(now.day) + now.strftime(' %H:%M:%S UTC %Y')
        msg = realm.encode() + name.encode() + base64.b64decode(params['SECRET_BLOCK']) + ts.encode()
        return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode(), ts
