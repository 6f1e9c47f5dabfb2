#!/usr/bin/env bash
# Sets everything up and runs every check and test of the repository, in order:
#   install, the machine's PostgreSQL/MariaDB/Redis, Debian's Chromium, type check, lint,
#   formatting, Jest (unit, route and store tests; store tests on SQLite and PostgreSQL) and the
#   Playwright browser tests.
# Every step runs even when an earlier one failed, so one run shows everything that is wrong.
# The last line printed is the total of all tests, `N passed, N failed`; the exit code is
# non-zero when any step or test failed. Needs no input; run as root (or with passwordless
# sudo) on a fresh machine so that it can start the databases and install Chromium.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RESULTS="$ROOT/.test-results"
JEST_REPORT="$RESULTS/jest.json"
PLAYWRIGHT_REPORT="$RESULTS/playwright.json"
INSTALL_TEST_REPORT="$RESULTS/install-test/summary.json"
FAILED_STEPS=()
RUN_STARTED=$SECONDS

finish() {
  local rc=$?
  trap - EXIT
  echo
  echo "=== summary ($((SECONDS - RUN_STARTED)) s)"
  local totals="0 passed, 1 failed" totals_rc=1
  if command -v node >/dev/null 2>&1; then
    local out
    out="$(node "$ROOT/scripts/test-totals.js" "$JEST_REPORT" "$PLAYWRIGHT_REPORT" "$INSTALL_TEST_REPORT")"
    totals_rc=$?
    printf '%s\n' "$out" | sed '$d'
    totals="$(printf '%s\n' "$out" | tail -n 1)"
  else
    echo "no node on PATH: no test ran"
  fi
  if [ "${#FAILED_STEPS[@]}" -gt 0 ]; then
    echo "failed steps: ${FAILED_STEPS[*]}"
  fi
  echo "$totals"
  if [ "$rc" -ne 0 ] || [ "$totals_rc" -ne 0 ] || [ "${#FAILED_STEPS[@]}" -gt 0 ]; then
    exit 1
  fi
  exit 0
}
trap finish EXIT

# Runs one named step, shows how it ended and how long it took, remembers a failure.
step() {
  local name="$1"
  shift
  echo
  echo "=== $name"
  local started=$SECONDS rc=0
  "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "=== $name: ok ($((SECONDS - started)) s)"
  else
    echo "=== $name: FAILED with exit code $rc ($((SECONDS - started)) s)"
    FAILED_STEPS+=("$name")
  fi
  return "$rc"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    echo "needs root: $*" >&2
    return 1
  fi
}

wait_until() {
  local what="$1"
  shift
  for _ in $(seq 1 30); do
    if "$@" >/dev/null 2>&1; then
      echo "$what is up"
      return 0
    fi
    sleep 1
  done
  echo "$what did not come up within 30 s" >&2
  return 1
}

postgres_up() { pg_isready -h 127.0.0.1 -q; }
mariadb_up() { mariadb-admin --protocol=tcp -h 127.0.0.1 -u root ping; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" = "PONG" ]; }

# The databases the store and console tests use. A service that cannot start is reported; the
# tests that need it then fail and say so.
start_services() {
  if command -v pg_isready >/dev/null 2>&1; then
    if ! postgres_up; then
      echo "starting PostgreSQL"
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
      wait_until PostgreSQL postgres_up
    else
      echo "PostgreSQL is up"
    fi
  else
    echo "warning: PostgreSQL is not installed; store tests run on SQLite only" >&2
  fi

  if [ -x /usr/sbin/mariadbd ]; then
    if ! mariadb_up >/dev/null 2>&1; then
      echo "starting MariaDB"
      if id mysql >/dev/null 2>&1; then
        as_root install -d -o mysql -g mysql /run/mysqld
      fi
      as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
      wait_until MariaDB mariadb_up
    else
      echo "MariaDB is up"
    fi
  else
    echo "warning: MariaDB is not installed" >&2
  fi

  if command -v redis-server >/dev/null 2>&1; then
    if ! redis_up; then
      echo "starting Redis"
      as_root mkdir -p /var/lib/redis /var/log/redis
      as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
        --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
      wait_until Redis redis_up
    else
      echo "Redis is up"
    fi
  else
    echo "warning: Redis is not installed" >&2
  fi
  return 0
}

install_chromium() {
  if [ -x /usr/bin/chromium ]; then
    /usr/bin/chromium --version 2>/dev/null || true
    return 0
  fi
  echo "installing Debian's chromium"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium &&
    /usr/bin/chromium --version
}

install_dependencies() {
  if [ "${CI:-}" = "true" ]; then
    yarn install --immutable
  else
    yarn install
  fi
}

run_jest() {
  # Store tests run on SQLite always and on PostgreSQL when this is set (TestDatabases).
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"
  echo "store tests on SQLite and on PostgreSQL at $BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING"
  CI=true yarn test --json --outputFile="$JEST_REPORT"
}

run_playwright() {
  E2E_JSON_REPORT="$PLAYWRIGHT_REPORT" yarn playwright test
}

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# The repo's own Node 24 and Yarn 4 (installed into .tools/ on first use).
# shellcheck source=scripts/env.sh
source scripts/env.sh
set +e
echo "node $(node --version), yarn $(yarn --version)"

step "install" install_dependencies || exit 1
step "services" start_services
step "chromium" install_chromium
step "type check" yarn tsc:full
step "lint" yarn lint:all
step "formatting" yarn prettier:check
step "jest" run_jest
step "playwright" run_playwright
# Packs the suite and installs it into two fresh portals (new and legacy frontend system),
# as the README's install guide says; about 8 minutes.
step "install test" bash scripts/install-test/run.sh --both
exit 0
