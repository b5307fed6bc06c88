#!/usr/bin/env bash
# Builds what the container image runs: a jlink'd Java with only the modules flyover needs, the jar beside it,
# and an AppCDS archive trained on runs that need no network. The Dockerfile and bench/startup.sh both call this
# script, so what the benchmark measures is what the image ships.
#
# Usage: scripts/build-runtime.sh JAR DEST
#   JAVA_HOME     the JDK to jlink from (default: the one `javac` on PATH belongs to). The runtime and the
#                 archive are tied to that exact JDK build.
#   TRAINING_LOG  where to copy what the training runs printed (default: not kept).
# Makes DEST/runtime (the JVM), DEST/flyover.jar and DEST/flyover.jsa. Build DEST where the image will have it
# (/opt/flyover): the archive records the jar's path, size and mtime, and a mismatch silently turns it off.
set -euo pipefail

# What `jdeps --print-module-deps` finds in the jar. scripts/check-image.sh fails CI when the two differ, so a new
# dependency cannot silently need a module the image lacks (or keep one it no longer needs).
JDEPS_MODULES=java.base,java.desktop,java.management,java.naming,java.net.http,java.security.jgss,java.sql
# Modules reached only through service lookup, which jdeps cannot see:
#   jdk.crypto.ec  elliptic-curve TLS (ECDHE key exchange, ECDSA certificates): HTTPS to GitHub and Heroku, and
#                  PostgreSQL over SSL, fail their handshakes without it on JDK 17.
EXTRA_MODULES=jdk.crypto.ec
MODULES="$JDEPS_MODULES,$EXTRA_MODULES"

if [ "${1:-}" = "--print-modules" ]; then
  echo "$JDEPS_MODULES"
  echo "$EXTRA_MODULES"
  exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 JAR DEST | --print-modules" >&2; exit 2; }
jar=$1
dest=$2

if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
fi
[ -x "$JAVA_HOME/bin/jlink" ] || { echo "error: no jlink in JAVA_HOME=$JAVA_HOME (a full JDK is needed)" >&2; exit 1; }

rm -rf "$dest"
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

echo "==> jlink $MODULES"
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$dest/runtime"
cp "$jar" "$dest/flyover.jar"
# A fixed mtime (1980-01-01): the archive records the jar's mtime, and the Dockerfile sets the same one again after
# copying the jar into the final stage, so the archive maps whatever the copy does to timestamps.
touch -d @315532800 "$dest/flyover.jar"
java="$dest/runtime/bin/java"

# Training: the commands a container run starts with, none of which touches the network. Each run writes the
# classes it loaded; the union becomes one static archive (JDK classes and flyover's together).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/workspace" "$work/home"
printf 'app = "flyover-training"\nprimary_region = "iad"\n\n[http_service]\n  internal_port = 8080\n' \
  > "$work/workspace/fly.toml"
: > "$work/output"
: > "$work/summary"
n=0
train() {
  n=$((n + 1))
  # A clean environment, like the runner's: nothing from this machine leaks into the runs.
  (cd "$work/workspace" && env -i PATH=/usr/bin:/bin HOME="$work/home" FLYCTL=/bin/false "$@" \
    "$java" -XX:DumpLoadedClassList="$work/classes.$n" -jar "$dest/flyover.jar" ${TRAIN_ARGS[@]+"${TRAIN_ARGS[@]}"} \
    >>"$work/training.log" 2>&1) || true
}
TRAIN_ARGS=(--version); train
TRAIN_ARGS=(--help); train
for cmd in deploy secrets database plan cutover; do TRAIN_ARGS=("$cmd" --help); train; done
if "$java" -jar "$dest/flyover.jar" deploy --help 2>/dev/null | grep -q -- '--dry-run'; then
  TRAIN_ARGS=(deploy --dry-run --fly-app=flyover-training); train FLY_API_TOKEN=training-token
fi
# `flyover action` is what every container run executes: inputs in INPUT_*, outputs to the runner's files.
TRAIN_ARGS=(action); train GITHUB_ACTIONS=true CI=true GITHUB_WORKSPACE="$work/workspace" \
  GITHUB_OUTPUT="$work/output" GITHUB_STEP_SUMMARY="$work/summary" \
  INPUT_COMMAND=deploy INPUT_DRY-RUN=true INPUT_FLY-API-TOKEN=training-token INPUT_HA=true \
  INPUT_HEALTH-CHECK=true INPUT_ENVIRONMENT=production

if [ -n "${TRAINING_LOG:-}" ]; then cp "$work/training.log" "$TRAINING_LOG"; fi

# Classes made at run time (proxies, hidden lambda forms) cannot be archived; keep the first mention of the rest.
awk '!/\$Proxy|LambdaForm\$MH\// && !seen[$0]++' "$work"/classes.* > "$work/classes.lst"
echo "==> AppCDS archive from $n training runs ($(grep -vc '^[#@]' "$work/classes.lst") classes)"
"$java" -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" -XX:SharedArchiveFile="$dest/flyover.jsa" \
  -cp "$dest/flyover.jar" >"$work/dump.log" 2>&1 || { cat "$work/dump.log" >&2; exit 1; }

# Fail here, not silently at run time, if the archive does not map (-Xshare:on refuses to start without it).
"$java" -Xshare:on -XX:SharedArchiveFile="$dest/flyover.jsa" -jar "$dest/flyover.jar" --version >/dev/null
echo "==> $dest: runtime $(du -sh "$dest/runtime" | cut -f1), archive $(du -sh "$dest/flyover.jsa" | cut -f1)"
