#!/usr/bin/env bash
# Times a database transfer three ways on the same local PostgreSQL, alternating in one run so they share the
# machine's state: the pipe from Fly's Heroku guide, `pgcopydb clone --table-jobs 2 --index-jobs 2`, and flyover
# (its default parallel mode, verification on). Every contender connects over TCP with TLS (sslmode=require), as
# from a runner to Heroku and to Fly; the cluster needs ssl=on (scripts/setup-local.sh turns it on). Prints every
# time, the medians and flyover's ratios.
#
#   ROWS=1000000 ROUNDS=3 bash bench/transfer.sh
#
# Variables: ROWS (dataset scale, default 1000000), ROUNDS (default 3), JOBS (flyover workers, default nproc),
# PHOENIX_SQL (dataset recipe, default bench/phoenix_like.sql, a copy of shared/bench/phoenix_like.sql), PGHOST, PGPORT,
# PGUSER, PGPASSWORD (a superuser on the local cluster; default 127.0.0.1, 5432, flyover, flyover), PG_BIN (client
# binaries, default /usr/lib/postgresql/15/bin), SKIP_BUILD=1 to reuse the dataset already loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

ROWS=${ROWS:-1000000}
ROUNDS=${ROUNDS:-3}
JOBS=${JOBS:-$(nproc)}
PHOENIX_SQL=${PHOENIX_SQL:-$root/bench/phoenix_like.sql}
[ -f "$PHOENIX_SQL" ] || { echo "dataset recipe not found: $PHOENIX_SQL (set PHOENIX_SQL)" >&2; exit 1; }
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-flyover} PGPASSWORD=${PGPASSWORD:-flyover}
# Every contender goes over TCP with TLS, as from a runner to Heroku and to Fly (both require it).
export PGSSLMODE=require
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
SRC=bench_transfer_src
DST=bench_transfer_dst

psql_() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
url() { printf 'postgres://%s:%s@%s:%s/%s?sslmode=require' "$PGUSER" "$PGPASSWORD" "$PGHOST" "$PGPORT" "$1"; }

if ! command -v pgcopydb >/dev/null; then
  echo "==> installing pgcopydb (Debian package)"
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq pgcopydb >/dev/null; else sudo apt-get install -y -qq pgcopydb >/dev/null; fi
fi
[ -f target/flyover.jar ] || { echo "==> building flyover"; mvn -B -ntp -q package -DskipTests; }
# flyover as a release installs it (the launcher next to the jar), in a copy so a rebuild during the run cannot
# swap the jar under it, with its own class-data archive (the launcher's, see scripts/flyover).
release_dir=$(mktemp -d); trap 'rm -rf "$release_dir"' EXIT
cp scripts/flyover target/flyover.jar "$release_dir/"
export XDG_CACHE_HOME=$release_dir/cache

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "==> building the dataset: $PHOENIX_SQL with rows=$ROWS"
  psql_ -d postgres -c "DROP DATABASE IF EXISTS $SRC WITH (FORCE)" -c "CREATE DATABASE $SRC"
  psql_ -d "$SRC" -v rows="$ROWS" -f "$PHOENIX_SQL" >/dev/null
  # Set hint bits and the visibility map once, so the first contender does not pay for everyone.
  psql_ -d "$SRC" -c "VACUUM ANALYZE"
fi
echo "==> source: $(psql_ -d "$SRC" -Atc "SELECT pg_size_pretty(pg_database_size('$SRC'))"), $(nproc) CPUs, flyover jobs=$JOBS"

fresh_target() {
  psql_ -d postgres -c "DROP DATABASE IF EXISTS $DST WITH (FORCE)" -c "CREATE DATABASE $DST" -c "CHECKPOINT"
}

run_pipe() {
  # Exactly the guide's command; it exits 1 on an empty target (every --clean DROP fails), so its status is not used.
  PGDATABASE=$SRC "$PG_BIN/pg_dump" -Fc --no-acl --no-owner -d "$SRC" \
    | "$PG_BIN/pg_restore" --verbose --clean --no-acl --no-owner -d "$DST" >/dev/null 2>&1 || true
}

run_pgcopydb() {
  local dir; dir=$(mktemp -d)
  pgcopydb clone --source "$(url $SRC)" --target "$(url $DST)" --table-jobs 2 --index-jobs 2 --dir "$dir" >/dev/null 2>&1
  rm -rf "$dir"
}

run_flyover() {
  # As users run it: through the release's launcher (the image's JVM flags, a class-data archive).
  "$release_dir/flyover" database --heroku-database-url "$(url $SRC)" --database-url "$(url $DST)" \
    --jobs "$JOBS" --verify counts > /tmp/bench-flyover.out 2>&1 || { cat /tmp/bench-flyover.out; exit 1; }
  grep -q "database-verified=true" /tmp/bench-flyover.out || { cat /tmp/bench-flyover.out; exit 1; }
}

declare -A times
contenders=(pipe pgcopydb flyover)
# Untimed: the launcher's first run writes its class-data archive, as a user's first run does.
fresh_target >/dev/null
run_flyover
for round in $(seq 1 "$ROUNDS"); do
  # Rotate the order each round so no contender always runs first (or last) on a warm cache.
  for i in 0 1 2; do
    c=${contenders[$(( (i + round - 1) % 3 ))]}
    fresh_target
    start=$(date +%s.%N)
    "run_$c"
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')
    times[$c]="${times[$c]:-} $t"
    printf 'round %d  %-9s %6.1f s\n' "$round" "$c" "$t"
  done
done
psql_ -d postgres -c "DROP DATABASE IF EXISTS $DST WITH (FORCE)"

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
p=$(echo "${times[pipe]}" | median); g=$(echo "${times[pgcopydb]}" | median); f=$(echo "${times[flyover]}" | median)
echo
printf 'median  pipe %.1f s   pgcopydb %.1f s   flyover %.1f s\n' "$p" "$g" "$f"
awk -v f="$f" -v g="$g" -v p="$p" 'BEGIN {
  printf "flyover / pgcopydb = %.2f (target <= 0.80)\n", f / g
  printf "flyover / pipe     = %.2f (target <= 0.50)\n", f / p }'
