#!/usr/bin/env bash
# Times the large-objects phase of a parallel transfer (issue 11, case 7) on the local PostgreSQL: 20,000 small
# large objects (16 B to 1 KiB) and three of 20 MiB, copied with --jobs 2 (JOBS to change). The phase's time is read
# from the log: from the table data's closing line to the large objects' one, each line stamped as it arrives.
# Usage: bench/large-objects.sh [path/to/flyover.jar]  (default target/flyover.jar; build it with mvn package).
set -euo pipefail
jar=${1:-target/flyover.jar}
jobs=${JOBS:-2}
admin=${FLYOVER_TEST_PG_URL:-postgres://flyover:flyover@127.0.0.1:5432/postgres}
base=${admin%/*}
src=fo_bench_lo_src_$$
dst=fo_bench_lo_dst_$$
cleanup() { psql -q "$admin" -c "DROP DATABASE IF EXISTS $src WITH (FORCE)" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)"; }
trap cleanup EXIT
psql -q "$admin" -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst"
psql -q "$base/$src" >/dev/null <<'SQL'
CREATE TABLE t (a int); INSERT INTO t VALUES (1);
SELECT lo_from_bytea(0, decode(repeat(md5(g::text), 1 + g % 64), 'hex')) FROM generate_series(1, 20000) g;
SELECT lo_from_bytea(0, (SELECT decode(string_agg(md5((g * k)::text), ''), 'hex') FROM generate_series(1, 1310720) g))
  FROM generate_series(1, 3) k;
SQL
java -jar "$jar" database --heroku-database-url "$base/$src?sslmode=require" --database-url "$base/$dst?sslmode=require" \
    --jobs "$jobs" --verify counts 2>&1 | python3 -u -c '
import sys, time
t0 = time.monotonic()
start = None
for line in sys.stdin:
    now = time.monotonic() - t0
    sys.stdout.write("%7.2f %s" % (now, line))
    if line.startswith("table data: "):
        start = now
    if line.startswith("copied ") and "large object" in line and start is not None:
        print("==> large-objects phase: %.1f s" % (now - start))
'
