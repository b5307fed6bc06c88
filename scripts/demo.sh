#!/usr/bin/env bash
# flyover's main job, locally: copy a Heroku-shaped PostgreSQL database (a small Phoenix app plus the hard cases:
# heroku_ext and its search_path, enums, identity and generated columns, partitions, a materialized view, a large
# object, unicode names) into an empty one in parallel, prove the copy equal with checksums, print the summary,
# then say what to try next.
#
#   bash scripts/demo.sh        ROWS=20000 by default; KEEP=1 keeps the role and the two databases afterwards;
#                               YES=1 does not ask before installing anything.
#
# What it does, in order (it prints this list, with what applies to this machine, before doing anything):
#   1. Only when Java 17, Maven, python3 or PostgreSQL is missing, or no cluster answers: runs
#      scripts/setup-local.sh (root or sudo), which installs the missing Debian packages with apt-get, starts the
#      PostgreSQL cluster and creates the superuser role `flyover` (password `flyover`) that the tests use too.
#      On a terminal it asks first.
#   2. Builds target/flyover.jar with `mvn package -DskipTests`, showing each build step as it starts (about a
#      minute the first time); skipped when the jar is newer than every source file.
#   3. As that superuser (DEMO_PG_URL, else FLYOVER_TEST_PG_URL, else
#      postgres://flyover:flyover@127.0.0.1:5432/postgres) creates the role `flyover_demo` (LOGIN, not a
#      superuser, a new random password each run; like Heroku's and Fly's app roles) and the databases
#      `flyover_demo_src` and `flyover_demo_dst`, which it owns; anything left by an earlier run is dropped first.
#   4. Fills flyover_demo_src and runs `flyover database --verify checksums` into flyover_demo_dst.
#   5. Drops both databases and the role, unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
ROWS=${ROWS:-20000}
KEEP=${KEEP:-0}
ADMIN_URL=${DEMO_PG_URL:-${FLYOVER_TEST_PG_URL:-postgres://flyover:flyover@127.0.0.1:5432/postgres}}
shown_admin=$(echo "$ADMIN_URL" | sed -E 's#//([^:@/]*):[^@]*@#//\1:***@#')
role=flyover_demo
src=flyover_demo_src
dst=flyover_demo_dst
jar=target/flyover.jar

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
psql_bin=${pg_bin:+$pg_bin/psql}
[ -x "${psql_bin:-}" ] || psql_bin=psql
admin() { PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -X -q -v ON_ERROR_STOP=1 "$ADMIN_URL" "$@"; }

# ---------------------------------------------------------------- what this machine needs

missing=()
command -v java >/dev/null || missing+=("Java 17")
command -v mvn >/dev/null || missing+=(Maven)
[ -x /usr/bin/python3 ] || missing+=("python3 (for the flyctl double)")
command -v "$psql_bin" >/dev/null || missing+=("PostgreSQL")
setup=0
if [ ${#missing[@]} -gt 0 ]; then
  setup=1
elif ! admin -c 'SELECT 1' >/dev/null 2>&1; then
  # A cluster that is not running, or no `flyover` role yet; with DEMO_PG_URL the user runs their own server.
  [ -n "${DEMO_PG_URL:-}" ] || setup=1
fi
build=1
if [ -f "$jar" ] && [ -d target/test-classes ] \
    && [ -z "$(find pom.xml action.yml src -newer "$jar" -print -quit 2>/dev/null)" ]; then
  build=0
fi

echo "flyover demo. It will:"
n=0
if [ "$setup" = 1 ]; then
  n=$((n + 1))
  what=${missing[*]:+install ${missing[*]} (apt-get), }
  echo "  $n. run scripts/setup-local.sh as root: ${what}start the PostgreSQL cluster, create the superuser role"
  echo "     flyover (password flyover) that the tests use too"
fi
n=$((n + 1))
if [ "$build" = 1 ]; then
  echo "  $n. build $jar with Maven (mvn package -DskipTests; about a minute the first time)"
else
  echo "  $n. use $jar (newer than every source file: no build)"
fi
n=$((n + 1))
echo "  $n. as $shown_admin: create the role $role (not a superuser, a new random password) and the"
echo "     databases $src and $dst it owns (an earlier run's are dropped first)"
n=$((n + 1))
echo "  $n. fill $src (a Phoenix app, ROWS=$ROWS, plus the hard cases), copy it into $dst with"
echo "     flyover database --verify checksums, and print the summary"
n=$((n + 1))
if [ "$KEEP" = 1 ]; then
  echo "  $n. keep $src, $dst and $role (KEEP=1)"
else
  echo "  $n. drop $src, $dst and $role (KEEP=1 keeps them)"
fi
echo

if [ "$setup" = 1 ]; then
  if [ -t 0 ] && [ "${YES:-0}" != 1 ]; then
    read -r -p "Run scripts/setup-local.sh now? [y/N] " answer
    case $answer in [yY]*) ;; *) echo "Stopped: nothing was installed or changed."; exit 1 ;; esac
  fi
  echo "==> scripts/setup-local.sh"
  bash scripts/setup-local.sh
  admin -c 'SELECT 1' >/dev/null 2>&1 || {
    echo "demo: cannot connect to PostgreSQL as $shown_admin: start a cluster, or set DEMO_PG_URL to a superuser URL." >&2
    exit 1
  }
fi

# ---------------------------------------------------------------- build, with progress

if [ "$build" = 1 ]; then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  echo "==> building $jar (mvn -B -ntp package -DskipTests)"
  started=$SECONDS
  # One line per build step as Maven starts it ("[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile)
  # @ flyover ---"), with the seconds since the start; Maven's whole output only when the build fails.
  if ! mvn -B -ntp package -DskipTests 2>&1 | tee "$log" | while IFS= read -r line; do
      case $line in
        "[INFO] --- "*)
          goal=${line#"[INFO] --- "}; goal=${goal%% *}; goal=${goal##*:}
          case $goal in
            compile) what="compiling flyover" ;;
            testCompile) what="compiling the tests and the doubles (not running them)" ;;
            shade) what="packing $jar with its dependencies" ;;
            *) what=$goal ;;
          esac
          printf '    %4ss  %s\n' $((SECONDS - started)) "$what" ;;
      esac
    done; then
    echo "demo: the build failed; Maven's output:" >&2
    tail -n 60 "$log" >&2
    exit 1
  fi
  printf '    %4ss  done: %s\n' $((SECONDS - started)) "$jar"
fi

# ---------------------------------------------------------------- the databases

pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-20)
host=$(echo "$ADMIN_URL" | sed -E 's#^[a-z]+://([^@]*@)?([^:/?]+).*#\2#')
port=$(echo "$ADMIN_URL" | sed -nE 's#^[a-z]+://([^@]*@)?[^:/?]+:([0-9]+).*#\2#p'); port=${port:-5432}
cleanup() {
  if [ "$KEEP" != 1 ]; then
    admin -c "DROP DATABASE IF EXISTS $src WITH (FORCE)" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)" \
          -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
  fi
  [ -z "${log:-}" ] || rm -f "$log"
}
trap cleanup EXIT

echo "==> role $role and databases $src, $dst"
admin -c "DROP DATABASE IF EXISTS $src WITH (FORCE)" -c "DROP DATABASE IF EXISTS $dst WITH (FORCE)"
admin -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE $role LOGIN; END IF; END \$\$;" \
      -c "ALTER ROLE $role NOSUPERUSER PASSWORD '$pw'" \
      -c "CREATE DATABASE $src OWNER $role" -c "CREATE DATABASE $dst OWNER $role"
src_url="postgres://$role:$pw@$host:$port/$src?sslmode=disable"
dst_url="postgres://$role:$pw@$host:$port/$dst?sslmode=disable"

dataset=${PHOENIX_SQL:-$root/bench/phoenix_like.sql}
echo "==> filling $src: a Phoenix app with ROWS=$ROWS, plus the hard cases"
if [ -f "$dataset" ]; then
  # The dataset ends with a database-wide ANALYZE: keep the non-superuser warnings about shared catalogs quiet.
  PGOPTIONS="-c client_min_messages=error" "$psql_bin" -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" "$src_url" -f "$dataset" >/dev/null
else
  echo "    ($dataset not found: hard cases only)"
fi
"$psql_bin" -X -q -v ON_ERROR_STOP=1 "$src_url" -f scripts/demo_hard_cases.sql >/dev/null

echo "==> flyover database --verify checksums ($src -> $dst)"
# The URLs travel in the environment, not on the command line.
status=0
HEROKU_DATABASE_URL=$src_url FLY_DATABASE_URL=$dst_url java -jar "$jar" database --verify checksums || status=$?

echo
if [ "$KEEP" = 1 ]; then
  echo "==> kept: databases $src and $dst, owned by $role; drop them with"
  echo "    psql '$shown_admin' -c 'DROP DATABASE $src WITH (FORCE)' -c 'DROP DATABASE $dst WITH (FORCE)' -c 'DROP ROLE $role'"
else
  echo "==> dropping $src, $dst and $role (KEEP=1 keeps them)"
fi

cat <<EOF

==> what to try next
  A deploy as a dry run (changes nothing, needs no token), in your app's directory, where fly.toml is:
      java -jar $root/$jar deploy --dry-run
  The cutover plan for a Phoenix app on the doubles (the tests' stand-ins for Heroku's API and flyctl: nothing
  leaves this machine, no account needed); any flyover command and options can follow TryDoubles:
      java -cp $jar:target/test-classes dev.flyover.testing.TryDoubles plan --create-database
      java -cp $jar:target/test-classes dev.flyover.testing.TryDoubles secrets --dry-run
      java -cp $jar:target/test-classes dev.flyover.testing.TryDoubles deploy --dry-run
  Every command and option:  java -jar $jar --help
  The tests: mvn test (fast, the JVM alone), mvn verify (also PostgreSQL, the flyctl double and the HTTP doubles)
EOF
exit "$status"
