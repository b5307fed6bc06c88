#!/usr/bin/env bash
# Fetches PostgreSQL 15's own regression SQL (src/test/regress: sql/, data/, parallel_schedule) from Debian's
# postgresql-15 source package, for the integration tests' real-world corpus (RegressionCorpusTest). Nothing of it
# is kept in the repository. Uses a private apt configuration (deb-src entries, lists under the cache directory), so
# the machine's apt sources are left as they are. Safe to run again: does nothing when the corpus is there.
# Usage: pg-regress-corpus.sh [DIR]   (default: $FLYOVER_PG_REGRESS_DIR or /var/cache/flyover/pg15-regress)
set -euo pipefail

dir="${1:-${FLYOVER_PG_REGRESS_DIR:-/var/cache/flyover/pg15-regress}}"
if [ -f "$dir/parallel_schedule" ] && [ -d "$dir/sql" ]; then exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/parts" "$work/lists/partial" "$dir"
: > "$work/empty.list"
# The archive the machine already installs from, as source entries: the machine's own apt sources with each
# binary entry turned into a source one (deb822 .sources files and one-line .list files alike).
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && sed -E 's/^Types:.*/Types: deb-src/' "$f" > "$work/parts/$(basename "$f")"
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] && sed -nE 's/^deb[[:space:]]+/deb-src /p' "$f" > "$work/parts/src-$(basename "$f").list"
done
apt_opts=(-o "Dir::Etc::SourceList=$work/empty.list" -o "Dir::Etc::SourceParts=$work/parts"
  -o "Dir::State::Lists=$work/lists" -o "APT::Sandbox::User=root" -qq)
apt-get "${apt_opts[@]}" update
cd "$work"
# Newest first; a version the mirror no longer serves is skipped.
for version in $(apt-cache "${apt_opts[@]}" showsrc postgresql-15 | sed -n 's/^Version: //p' | sort -rV); do
  if apt-get "${apt_opts[@]}" source --download-only "postgresql-15=$version" >/dev/null 2>&1; then break; fi
done
tarball=$(ls postgresql-15_*.orig.tar.bz2 2>/dev/null | head -n 1)
if [ -z "$tarball" ]; then echo "pg-regress-corpus: no postgresql-15 source package could be downloaded" >&2; exit 1; fi
tar -xjf "$tarball" --wildcards '*/src/test/regress/sql/*' '*/src/test/regress/data/*' '*/src/test/regress/parallel_schedule'
cp -r postgresql-15*/src/test/regress/sql postgresql-15*/src/test/regress/data postgresql-15*/src/test/regress/parallel_schedule "$dir/"
echo "$tarball" > "$dir/SOURCE"
echo "pg-regress-corpus: PostgreSQL regression SQL from $tarball in $dir"
