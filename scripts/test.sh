#!/usr/bin/env bash
# scripts/test.sh — the project's whole test run (`npm test`).
#
# 1. Type-checks and builds (tsc), and type-checks the tests (test/tsconfig.json); a type error fails the run.
# 2. Makes sure Debian's Chromium is installed for the browser tests (scripts/chromium.sh).
# 3. Starts a throwaway PostgreSQL (scripts/pg-test.sh) so the suites run on both stores, and always
#    stops it again, whatever happens (unless TESSERA_TEST_DATABASE already names one to use).
# 4. Runs every test/**/*.test.ts with node's test runner (boto3 and AWS CLI checks are spawned from
#    node test files, so this one runner reports everything) and exits with its status.
#
# Extra arguments are passed to `node --test` (e.g. `npm test -- --test-name-pattern=sigv4`).
# TESSERA_TEST_FILES="test/a.test.ts test/b.test.ts" limits the run to those files.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=$SECONDS
echo "== build (tsc) and type-check of the tests"
npm run build --silent
npx --no-install tsc -p test

# A caller may bring its own server (TESSERA_TEST_DATABASE=postgres://.../db, where the user may CREATE
# DATABASE); otherwise a throwaway one is started here and always stopped again.
started_pg=0
stop_pg() {
  if [[ "$started_pg" -eq 1 ]]; then
    bash scripts/pg-test.sh stop >/dev/null 2>&1 || echo "warning: could not stop the test PostgreSQL" >&2
  fi
}
trap stop_pg EXIT
trap 'exit 130' INT TERM HUP

echo "== Chromium for the browser tests"
TESSERA_TEST_CHROMIUM="$(bash scripts/chromium.sh)"
export TESSERA_TEST_CHROMIUM
echo "   $TESSERA_TEST_CHROMIUM"

echo "== PostgreSQL for the store tests"
if [[ -z "${TESSERA_TEST_DATABASE:-}" ]]; then
  started_pg=1
  TESSERA_TEST_DATABASE="$(bash scripts/pg-test.sh start)"
fi
export TESSERA_TEST_DATABASE
echo "   $TESSERA_TEST_DATABASE"

# Node 20's --test does not expand globs itself, so the files are listed here.
if [[ -n "${TESSERA_TEST_FILES:-}" ]]; then
  read -r -a files <<<"$TESSERA_TEST_FILES"
else
  mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
fi
if [[ ${#files[@]} -eq 0 ]]; then
  echo "no test files found under test/" >&2
  exit 1
fi

echo "== node --test (${#files[@]} files)"
status=0
node --import tsx --test --test-concurrency=2 --test-timeout=300000 "$@" "${files[@]}" || status=$?
echo "== tests finished in $((SECONDS - started)) s (exit $status)"
exit "$status"
