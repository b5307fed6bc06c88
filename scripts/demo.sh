#!/usr/bin/env bash
# flyover's main job, locally: builds flyover, makes a Heroku-shaped source database (a small Phoenix app plus the
# hard cases: heroku_ext and its search_path, enums, identity and generated columns, partitions, a materialized
# view, a large object, unicode names) and an empty target, transfers it in parallel, proves it equal with
# checksums and prints the summary.
#
#   bash scripts/demo.sh            (ROWS=20000 by default; KEEP=1 keeps the two databases afterwards)
#
# Needs Java 17, Maven and PostgreSQL. It uses DEMO_PG_URL (a superuser URL) when set, else
# postgres://flyover:flyover@127.0.0.1:5432/postgres, creating that role and starting the Debian cluster first
# when it can (as root, or with sudo), as .ci/run does.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
ROWS=${ROWS:-20000}
ADMIN_URL=${DEMO_PG_URL:-${FLYOVER_TEST_PG_URL:-postgres://flyover:flyover@127.0.0.1:5432/postgres}}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
psql_bin=${pg_bin:+$pg_bin/psql}
psql_bin=${psql_bin:-psql}
admin() { "$psql_bin" -X -q -v ON_ERROR_STOP=1 "$ADMIN_URL" "$@"; }

for tool in java mvn; do
  command -v "$tool" >/dev/null || bash scripts/setup-local.sh
done

# A running cluster and a superuser to set the demo up with (the same setup the tests use).
if ! admin -c 'SELECT 1' >/dev/null 2>&1; then
  if [ -z "${DEMO_PG_URL:-}" ]; then
    echo "==> setting up PostgreSQL (scripts/setup-local.sh)"
    bash scripts/setup-local.sh || true
  fi
  admin -c 'SELECT 1' >/dev/null 2>&1 || {
    echo "demo: cannot connect to PostgreSQL as $(echo "$ADMIN_URL" | sed -E 's#//([^:@]*):[^@]*@#//\1:***@#'); start a cluster or set DEMO_PG_URL to a superuser URL" >&2
    exit 1
  }
fi

echo "==> building flyover"
mvn -B -ntp -q package -DskipTests

# The app's role, like Heroku's: owns its databases, not a superuser. A fresh random password each run.
pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-20)
host=$(echo "$ADMIN_URL" | sed -E 's#^[a-z]+://([^@]*@)?([^:/?]+).*#\2#')
port=$(echo "$ADMIN_URL" | sed -nE 's#^[a-z]+://([^@]*@)?[^:/?]+:([0-9]+).*#\2#p'); port=${port:-5432}
src=flyover_demo_src
dst=flyover_demo_dst
admin -c "DROP DATABASE IF EXISTS $src WITH (FORCE)" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)"
admin -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'flyover_demo') THEN CREATE ROLE flyover_demo LOGIN; END IF; END \$\$;" \
      -c "ALTER ROLE flyover_demo PASSWORD '$pw'" \
      -c "CREATE DATABASE $src OWNER flyover_demo" -c "CREATE DATABASE $dst OWNER flyover_demo"
src_url="postgres://flyover_demo:$pw@$host:$port/$src?sslmode=disable"
dst_url="postgres://flyover_demo:$pw@$host:$port/$dst?sslmode=disable"

dataset=${PHOENIX_SQL:-$root/bench/phoenix_like.sql}
echo "==> source database: a Phoenix app with rows=$ROWS, plus the hard cases"
if [ -f "$dataset" ]; then
  # The dataset ends with a database-wide ANALYZE: keep the non-superuser warnings about shared catalogs quiet.
  PGOPTIONS="-c client_min_messages=error" "$psql_bin" -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" "$src_url" -f "$dataset" >/dev/null
else
  echo "    ($dataset not found: hard cases only)"
fi
"$psql_bin" -X -q -v ON_ERROR_STOP=1 "$src_url" -f scripts/demo_hard_cases.sql >/dev/null

echo "==> flyover database (parallel, checksums)"
# The URLs travel in the environment, not the command line.
status=0
HEROKU_DATABASE_URL=$src_url FLY_DATABASE_URL=$dst_url java -jar target/flyover.jar database --verify checksums || status=$?

if [ "${KEEP:-0}" = 1 ]; then
  echo "==> kept: $src and $dst (user flyover_demo)"
else
  admin -c "DROP DATABASE IF EXISTS $src WITH (FORCE)" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)"
fi
exit "$status"
