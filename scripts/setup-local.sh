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
command -v openssl >/dev/null || missing+=(openssl)  # the cluster's TLS certificate, below
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

# TLS on the cluster, as on Heroku and Fly (both require it): a self-signed certificate for localhost and 127.0.0.1,
# readable by everyone so clients can verify it (sslmode=verify-full sslrootcert=$tls/server.crt). Plain TCP still
# works (pg_hba's `host` lines take both), so the tests choose per connection.
tls=/var/lib/flyover/pg-tls
if [ "$(as_root runuser -u postgres -- psql -X -Atq -d postgres -c 'SHOW ssl')" != on ]; then
  as_root mkdir -p "$tls"
  if [ ! -f "$tls/server.crt" ]; then
    as_root openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
      -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$tls/server.key" -out "$tls/server.crt" 2>/dev/null
  fi
  as_root chown postgres:postgres "$tls/server.key" "$tls/server.crt"
  as_root chmod 600 "$tls/server.key"
  as_root chmod 644 "$tls/server.crt"
  as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "ALTER SYSTEM SET ssl_cert_file = '$tls/server.crt'" -c "ALTER SYSTEM SET ssl_key_file = '$tls/server.key'" \
    -c "ALTER SYSTEM SET ssl = on" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
fi

# Room in the lock table for bench/scale.sh: pg_dump locks every table it dumps in one transaction, and 10,000 tables
# do not fit in the default 64 x max_connections slots ("out of shared memory"). The setting needs a restart, made
# only when it changes (once per machine).
if [ "$(as_root runuser -u postgres -- psql -X -Atq -d postgres -c 'SHOW max_locks_per_transaction')" -lt 256 ]; then
  as_root runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "ALTER SYSTEM SET max_locks_per_transaction = 256" >/dev/null
  as_root pg_ctlcluster "$pg_ver" "$pg_name" restart
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
fi

# PostgreSQL 15's regression SQL from Debian's source package: the integration tests' real-world corpus.
bash "$(dirname "$0")/pg-regress-corpus.sh" || echo "setup: the PostgreSQL regression corpus could not be fetched; RegressionCorpusTest will be skipped" >&2
