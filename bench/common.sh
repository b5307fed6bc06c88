# Shared by bench/scale.sh and bench/small.sh (sourced, not run): the three contenders as bench/transfer.sh runs
# them, but every one over TCP with TLS (sslmode=require, as from a runner to Heroku and to Fly), the alternating
# rounds, the medians and the ratios. The caller sets SRC, DST and ROUNDS, and calls `contend LABEL` once per
# dataset, then `report`.
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-flyover} PGPASSWORD=${PGPASSWORD:-flyover}
# Every libpq client below (psql, pg_dump, pg_restore, pgcopydb's own children) takes TLS from here.
export PGSSLMODE=${PGSSLMODE:-require}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROUNDS=${ROUNDS:-3}
JOBS=${JOBS:-$(nproc)}

psql_() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
url() { printf 'postgres://%s:%s@%s:%s/%s?sslmode=%s' "$PGUSER" "$PGPASSWORD" "$PGHOST" "$PGPORT" "$1" "$PGSSLMODE"; }
drop_db() { psql_ -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)"; }

bench_setup() {
  if ! command -v pgcopydb >/dev/null; then
    echo "==> installing pgcopydb (Debian package)"
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq pgcopydb >/dev/null; else sudo apt-get install -y -qq pgcopydb >/dev/null; fi
  fi
  [ -f target/flyover.jar ] || { echo "==> building flyover"; mvn -B -ntp -q package -DskipTests; }
  work=$(mktemp -d)
  # flyover as a release installs it (the launcher next to the jar), in a copy so a rebuild during the run cannot
  # swap the jar under it, with its own class-data archive (the launcher's, see scripts/flyover).
  release_dir=$work/release
  mkdir -p "$release_dir"
  cp scripts/flyover target/flyover.jar "$release_dir/"
  export XDG_CACHE_HOME=$release_dir/cache
}

bench_cleanup() {
  rm -rf "${work:-}"
  # Whatever the exit, no database of the run is left behind.
  for db in "$@"; do drop_db "$db" >/dev/null 2>&1 || true; done
}

fresh_target() {
  psql_ -d postgres -c "DROP DATABASE IF EXISTS $DST WITH (FORCE)" -c "CREATE DATABASE $DST" -c "CHECKPOINT"
}

run_pipe() {
  # The guide's command; it exits 1 on an empty target (every --clean DROP fails), so its status is not used.
  "$PG_BIN/pg_dump" -Fc --no-acl --no-owner -d "$SRC" \
    | "$PG_BIN/pg_restore" --verbose --clean --no-acl --no-owner -d "$DST" >/dev/null 2>&1 || true
}

run_pgcopydb() {
  local dir; dir=$(mktemp -d -p "$work")
  pgcopydb clone --source "$(url "$SRC")" --target "$(url "$DST")" --table-jobs 2 --index-jobs 2 --dir "$dir" \
    > "$work/pgcopydb.out" 2>&1 || { tail -n 20 "$work/pgcopydb.out"; echo "pgcopydb failed" >&2; exit 1; }
  rm -rf "$dir"
}

run_flyover() {
  # The mode flyover picks by default (no --transfer-mode); verification on, exact counts on both sides.
  # As users run it: through the release's launcher (the image's JVM flags, a class-data archive).
  "$release_dir/flyover" database --heroku-database-url "$(url "$SRC")" --database-url "$(url "$DST")" \
    --jobs "$JOBS" --verify counts ${FLYOVER_ARGS:-} > "$work/flyover.out" 2>&1 || { cat "$work/flyover.out"; exit 1; }
  grep -q "database-verified=true" "$work/flyover.out" || { cat "$work/flyover.out"; exit 1; }
  [ -z "${FLYOVER_LOG:-}" ] || cp "$work/flyover.out" "$FLYOVER_LOG"
}

# A contender left out (CONTENDERS) has no times: its median is empty, not a failed pipeline under pipefail.
median() { tr ' ' '\n' | { grep . || true; } | sort -n | awk 'NR {a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

declare -A times
labels=()
# Times the three contenders on the current $SRC, alternating: the order rotates each round, so no contender always
# runs first (or last) on a warm cache. CONTENDERS narrows the set (e.g. CONTENDERS="flyover" while iterating).
contend() {
  local label=$1 round i c start end t
  local contenders=(${CONTENDERS:-pipe pgcopydb flyover})
  local n=${#contenders[@]}
  labels+=("$label")
  if [[ " ${contenders[*]} " == *" flyover "* ]] && ! ls "$XDG_CACHE_HOME"/flyover/*.jsa >/dev/null 2>&1; then
    # Untimed: the launcher's first run writes its class-data archive, as a user's first run does.
    fresh_target >/dev/null
    run_flyover
  fi
  for round in $(seq 1 "$ROUNDS"); do
    for i in $(seq 0 $((n - 1))); do
      c=${contenders[$(( (i + round - 1) % n ))]}
      fresh_target >/dev/null
      start=$(date +%s.%N)
      "run_$c"
      end=$(date +%s.%N)
      t=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')
      times[$label,$c]="${times[$label,$c]:-} $t"
      printf '%-12s round %d  %-9s %6.1f s\n' "$label" "$round" "$c" "$t"
    done
  done
  drop_db "$DST" >/dev/null
}

# The medians per dataset and flyover's ratios to each peer (below 1: flyover is faster).
report() {
  local label p g f
  echo
  printf '%-12s %10s %10s %10s %18s %14s\n' dataset pipe pgcopydb flyover flyover/pgcopydb flyover/pipe
  for label in "${labels[@]}"; do
    p=$(echo "${times[$label,pipe]:-}" | median); g=$(echo "${times[$label,pgcopydb]:-}" | median)
    f=$(echo "${times[$label,flyover]:-}" | median)
    awk -v l="$label" -v p="${p:-0}" -v g="${g:-0}" -v f="${f:-0}" 'BEGIN {
      printf "%-12s %9.1fs %9.1fs %9.1fs %18s %14s\n", l, p, g, f,
        (g > 0 && f > 0 ? sprintf("%.2f", f / g) : "-"), (p > 0 && f > 0 ? sprintf("%.2f", f / p) : "-") }'
  done
}
