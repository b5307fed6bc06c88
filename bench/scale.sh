#!/usr/bin/env bash
# Scale benchmark: a database of many small tables (a schema-per-tenant app: 10,000 tables of a few rows each, a
# primary key and a sequence each, secondary indexes and foreign keys on some), where per-table catalog work and
# round trips, not bytes, decide the time. Times, alternating in one run, the guide's pipe (pg_dump -Fc |
# pg_restore), `pgcopydb clone --table-jobs 2 --index-jobs 2` and `flyover database` (its default mode, verified
# with exact counts), every one over TCP with TLS (sslmode=require); prints every time, the medians and flyover's
# ratios. Builds its dataset and drops every database it made, whatever the exit.
#
#   TABLES=10000 ROUNDS=3 bash bench/scale.sh
#
# Variables: TABLES (default 10000), SCHEMAS (tenant schemas the tables are spread over, default 10), ROWS (rows per
# table, default 5), ROUNDS (default 3), JOBS (flyover workers, default nproc), CONTENDERS (default "pipe pgcopydb
# flyover"), FLYOVER_ARGS (extra flyover options), FLYOVER_DEBUG=1 (flyover's debug lines), FLYOVER_LOG (keep
# flyover's last output there),
# PGHOST, PGPORT, PGUSER, PGPASSWORD (a superuser; default 127.0.0.1, 5432, flyover, flyover), PGSSLMODE (default
# require), PG_BIN (default /usr/lib/postgresql/15/bin), KEEP_SOURCE=1 to keep the dataset and SKIP_BUILD=1 to reuse it.
#
# pg_dump (alone, in the pipe, under pgcopydb and under flyover) locks every table in one transaction: the server's
# lock table must hold them all (max_locks_per_transaction x max_connections >= 1.5 x TABLES); the script checks
# before it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

TABLES=${TABLES:-10000}
SCHEMAS=${SCHEMAS:-10}
ROWS=${ROWS:-5}
SRC=bench_scale_${TABLES}_src
DST=bench_scale_dst

slots=$(psql_ -d postgres -Atc "SELECT current_setting('max_locks_per_transaction')::int
  * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)")
if [ "$slots" -lt $((TABLES * 3 / 2)) ]; then
  echo "the server's lock table holds $slots locks, too few for pg_dump to lock $TABLES tables: raise" \
    "max_locks_per_transaction to at least $(( (TABLES * 3 / 2 + 99) / 100 )) (needs a restart), or lower TABLES" >&2
  exit 1
fi

bench_setup
if [ "${KEEP_SOURCE:-0}" = 1 ]; then trap 'bench_cleanup $DST' EXIT; else trap 'bench_cleanup $DST $SRC' EXIT; fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "==> building the dataset: $TABLES tables in $SCHEMAS schemas, $ROWS rows each"
  t0=$(date +%s)
  drop_db "$SRC"; psql_ -d postgres -c "CREATE DATABASE $SRC"
  # One round trip per table (its statements in one implicit transaction), so no transaction holds more locks than
  # one table's. Everything is a function of the table's number: the same dataset on every run.
  psql_ -d "$SRC" -v tables="$TABLES" -v schemas="$SCHEMAS" -v rows="$ROWS" <<'SQL' >/dev/null
SELECT format('CREATE SCHEMA tenant_%s', s) FROM generate_series(0, :schemas - 1) s \gexec
WITH t AS (
  SELECT i, format('tenant_%s', (i - 1) % :schemas) AS s, format('t_%s', lpad(i::text, 5, '0')) AS n,
         format('t_%s', lpad((i - :schemas)::text, 5, '0')) AS prev
  FROM generate_series(1, :tables) i)
SELECT format($f$CREATE TABLE %1$I.%2$I (
    id bigserial PRIMARY KEY,
    parent_id bigint%3$s,
    code text NOT NULL,
    amount numeric(12,2) NOT NULL DEFAULT 0,
    meta jsonb,
    created_at timestamptz NOT NULL DEFAULT '2026-01-01 00:00:00+00');%4$s%5$s
  INSERT INTO %1$I.%2$I (parent_id, code, amount, meta, created_at)
    SELECT g, 'c' || %6$s || '-' || g, g * 1.25, jsonb_build_object('n', g, 'tag', 'x' || (g %% 7)),
           timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute'
    FROM generate_series(1, %7$s) g;$f$,
    s, n,
    -- Every third table points at the previous table of its schema.
    CASE WHEN i % 3 = 0 AND i > :schemas THEN format(' REFERENCES %I.%I (id)', s, prev) ELSE '' END,
    CASE WHEN i % 2 = 0 THEN format(' CREATE INDEX ON %I.%I (code);', s, n) ELSE '' END,
    CASE WHEN i % 5 = 0 THEN format(' CREATE UNIQUE INDEX ON %I.%I (parent_id, created_at);', s, n) ELSE '' END,
    i, :rows)
FROM t ORDER BY i \gexec
SQL
  # Set hint bits and the visibility map once, so the first contender does not pay for everyone.
  psql_ -d "$SRC" -c "VACUUM (ANALYZE)" >/dev/null
  echo "    built in $(( $(date +%s) - t0 ))s"
fi
echo "==> source: $(psql_ -d "$SRC" -Atc "SELECT pg_size_pretty(pg_database_size(current_database())) || ', '
  || (SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace::regnamespace::text LIKE 'tenant\_%') || ' tables, '
  || (SELECT count(*) FROM pg_class WHERE relkind = 'S') || ' sequences, '
  || (SELECT count(*) FROM pg_class WHERE relkind = 'i' AND relnamespace::regnamespace::text LIKE 'tenant\_%') || ' indexes, '
  || (SELECT count(*) FROM pg_constraint WHERE contype = 'f') || ' foreign keys'"), $(nproc) CPUs, flyover jobs=$JOBS, sslmode=$PGSSLMODE"

contend "$TABLES tables"
report
