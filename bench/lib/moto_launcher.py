"""moto_server, plus a bulk loader for the benchmark.

Runs moto's own server entry point (moto.server.main, exactly what `moto_server` runs) in the main thread,
and reads commands on stdin in another:

    seed <user pool id> <json file>   adds the users in the file ([{"email", "given", "family"}, ...])
                                      straight to the pool, then prints "seeded <n>"

moto's AdminCreateUser scans every user of an email-as-username pool for a clash (O(n) per call) and is not
safe to call concurrently, so seeding 10,000 users through the API takes minutes. This builds the same
CognitoIdpUser objects AdminCreateUser builds, without the scan. Only for the benchmark.
"""
import json
import sys
import threading

from moto.cognitoidp.models import CognitoIdpUser, UserStatus, cognitoidp_backends
from moto.server import main

TEMP_PASSWORD = "Bench-Temp0rary!"


def find_pool(pool_id):
    for _account, regions in cognitoidp_backends.items():
        for _region, backend in regions.items():
            pool = backend.user_pools.get(pool_id)
            if pool is not None:
                return pool
    raise KeyError(pool_id)


def seed(pool_id, path):
    pool = find_pool(pool_id)
    with open(path, encoding="utf-8") as f:
        people = json.load(f)
    for p in people:
        attributes = [
            {"Name": "email", "Value": p["email"]},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "given_name", "Value": p["given"]},
            {"Name": "family_name", "Value": p["family"]},
        ]
        user = CognitoIdpUser(pool.id, None, TEMP_PASSWORD, UserStatus.FORCE_CHANGE_PASSWORD, attributes)
        pool.users[user.username] = user
    return len(people)


def commands():
    for line in sys.stdin:
        parts = line.split()
        try:
            if len(parts) == 3 and parts[0] == "seed":
                print(f"seeded {seed(parts[1], parts[2])}", flush=True)
            else:
                print(f"error unknown command {line.strip()}", flush=True)
        except Exception as e:  # report, keep serving
            print(f"error {type(e).__name__}: {e}", flush=True)


if __name__ == "__main__":
    threading.Thread(target=commands, daemon=True).start()
    main(sys.argv[1:])
