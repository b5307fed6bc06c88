#!/usr/bin/env bash
# Makes a Debian machine ready to build, test and demo flyover: installs what is missing (Java 17, Maven, Debian's
# python3 for the flyctl double, the PostgreSQL server and client, plus any extra package names given as arguments),
# starts the PostgreSQL cluster with pg_ctlcluster and creates the `flyover` superuser role the tests and the demo
# connect as (postgres://flyover:flyover@127.0.0.1:5432/postgres). Root or sudo; safe to run again.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "setup: need root or sudo to run: $*" >&2; return 1
  fi
}

missing=("$@")
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
[ -x /usr/bin/python3 ] || missing+=(python3)  # the flyctl double runs on Debian's python3 (a pyenv shim costs ~1 s a call)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null || missing+=(postgresql-client)
# pg_partman: the integration tests' extension with configuration tables (pg_extension_config_dump).
ls /usr/share/postgresql/15/extension/pg_partman.control >/dev/null 2>&1 || missing+=(postgresql-15-partman)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Debian cluster, and a password role reached over TCP, like a real remote database.
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  major=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  as_root pg_createcluster "$major" main >/dev/null
fi
read -r pg_ver pg_name _ < <(pg_lsclusters -h | head -n 1)
as_root pg_ctlcluster "$pg_ver" "$pg_name" start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'flyover') THEN
    CREATE ROLE flyover LOGIN SUPERUSER PASSWORD 'flyover';
  END IF;
END $$;
SQL

# PostgreSQL 15's regression SQL from Debian's source package: the integration tests' real-world corpus.
bash "$(dirname "$0")/pg-regress-corpus.sh" || echo "setup: the PostgreSQL regression corpus could not be fetched; RegressionCorpusTest will be skipped" >&2
