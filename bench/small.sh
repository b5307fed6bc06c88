#!/usr/bin/env bash
# Small real-world databases: the guide's pipe (pg_dump -Fc | pg_restore), `pgcopydb clone --table-jobs 2
# --index-jobs 2` and `flyover database` (its default mode, verified with exact counts), alternating in one run, every
# one over TCP with TLS (sslmode=require), on three databases no one here tuned for flyover:
#   regress   PostgreSQL 15's own regression database (its schedule's SQL from Debian's postgresql-15 source package,
#             fetched by scripts/pg-regress-corpus.sh, built as RegressionCorpusTest builds it: by an ordinary role
#             owning its database, each script in a fresh session, their deliberate errors included);
#   partman   a pg_partman-managed partitioned table (daily partitions, as the integration tests make it), skipped
#             when Debian's postgresql-15-partman is not installed;
#   phoenix   the Phoenix-shaped recipe of bench/transfer.sh at small scale (bench/phoenix_like.sql, ROWS=20000).
# Every contender connects as the superuser to both sides, as in bench/transfer.sh (so each creates the source's
# extensions on the target itself). Prints every time, the medians and flyover's ratios per database. Builds its datasets and drops every database
# (and the role) it made, whatever the exit.
#
#   ROUNDS=3 bash bench/small.sh
#
# Variables: DATASETS (default "regress partman phoenix"), ROWS (phoenix scale, default 20000), ROUNDS (default 3),
# JOBS (flyover workers, default nproc), CONTENDERS (default "pipe pgcopydb flyover"), FLYOVER_LOG, PGHOST, PGPORT,
# PGUSER, PGPASSWORD (a superuser; default 127.0.0.1, 5432, flyover, flyover), PGSSLMODE (default require), PG_BIN,
# FLYOVER_PG_REGRESS_DIR (default /var/cache/flyover/pg15-regress).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source bench/common.sh

DATASETS=${DATASETS:-regress partman phoenix}
ROWS=${ROWS:-20000}
CORPUS=${FLYOVER_PG_REGRESS_DIR:-/var/cache/flyover/pg15-regress}
SRC=bench_small_src
DST=bench_small_dst
# The sources are built by an ordinary role owning its database, as on Heroku (the regression SQL run as a
# superuser would make what no hosted database has).
OWNER=bench_small_owner
OWNER_PASSWORD=bench-small-owner

bench_setup
trap 'bench_cleanup $DST $SRC; psql_ -d postgres -c "DROP ROLE IF EXISTS $OWNER" >/dev/null 2>&1 || true' EXIT
psql_ -d postgres -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$OWNER') THEN
  CREATE ROLE $OWNER LOGIN PASSWORD '$OWNER_PASSWORD'; END IF; END \$\$"
as_owner() { PGUSER=$OWNER PGPASSWORD=$OWNER_PASSWORD "$@"; }

fresh_source() {
  drop_db "$SRC" >/dev/null
  psql_ -d postgres -c "CREATE DATABASE $SRC OWNER $OWNER"
}

# pg_partman as a platform installs it: by the superuser, in its schema, usable by the database's owner.
install_partman() {
  psql_ -d "$1" -c "CREATE SCHEMA partman AUTHORIZATION $OWNER" -c "CREATE EXTENSION pg_partman SCHEMA partman" \
    -c "GRANT ALL ON ALL TABLES IN SCHEMA partman TO $OWNER" -c "GRANT ALL ON ALL SEQUENCES IN SCHEMA partman TO $OWNER" \
    -c "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA partman TO $OWNER" -c "GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA partman TO $OWNER"
}

build_regress() {
  [ -f "$CORPUS/parallel_schedule" ] || bash scripts/pg-regress-corpus.sh "$CORPUS"
  local all="$work/regress.sql" t f
  : > "$all"
  for t in $(sed -n 's/^test: *//p' "$CORPUS/parallel_schedule"); do
    f="$CORPUS/sql/$t.sql"
    [ -f "$f" ] || continue
    # Each script from a fresh session, as pg_regress runs it; server-side COPY FROM a file becomes psql's \copy.
    printf '\\connect\n' >> "$all"
    sed -E "s/^COPY ([A-Za-z0-9_]+) FROM :'filename';/\\\\copy \\1 FROM :'filename'/" "$f" >> "$all"
    printf '\n' >> "$all"
  done
  # The scripts' deliberate errors are part of them: no ON_ERROR_STOP, and their output is not read.
  as_owner env PG_ABS_SRCDIR="$CORPUS" PG_LIBDIR=/nonexistent PG_DLSUFFIX=.so PGOPTIONS="-c client_min_messages=error" \
    "$PG_BIN/psql" -X -q -d "$SRC" -f "$all" >/dev/null 2>&1 || true
}

build_partman() {
  install_partman "$SRC" >/dev/null
  as_owner psql_ -d "$SRC" >/dev/null <<'SQL'
CREATE TABLE events (id bigint NOT NULL, at timestamptz NOT NULL, what text) PARTITION BY RANGE (at);
CREATE INDEX events_at_idx ON events (at);
SELECT partman.create_parent('public.events', 'at', 'native', 'daily', p_premake := 2);
INSERT INTO events SELECT g, now() + g * interval '10 seconds', 'e' || g FROM generate_series(1, 3000) g;
SQL
}

build_phoenix() {
  # Its closing ANALYZE warns, as a non-superuser, about the shared catalogs it may not analyze.
  as_owner psql_ -d "$SRC" -v rows="$ROWS" -f "$root/bench/phoenix_like.sql" >/dev/null 2>&1
}

for ds in $DATASETS; do
  if [ "$ds" = partman ] && [ ! -f /usr/share/postgresql/15/extension/pg_partman.control ]; then
    echo "==> partman: skipped (pg_partman is not installed: apt-get install postgresql-15-partman)"; continue
  fi
  echo "==> building $ds"
  t0=$(date +%s)
  fresh_source >/dev/null
  "build_$ds"
  # Hint bits and the visibility map set once, so the first contender does not pay for everyone.
  psql_ -d "$SRC" -c "VACUUM (ANALYZE)" >/dev/null
  echo "    $(psql_ -d "$SRC" -Atc "SELECT pg_size_pretty(pg_database_size(current_database())) || ', '
    || (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%') || ' tables'"), built in $(( $(date +%s) - t0 ))s"
  contend "$ds"
done
report
