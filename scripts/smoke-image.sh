#!/usr/bin/env bash
# Smoke test of a built image, run the way the Actions runner runs it (needs a Docker engine: GitHub's runners
# have one, the project's own CI machines do not, so .github/workflows/ci.yml and release.yml run this).
# Usage: scripts/smoke-image.sh IMAGE
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:?usage: $0 IMAGE}
fail() { echo "::error::smoke-image: $*"; exit 1; }
version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -n 1)
flyctl_version=$(sed -n 's/^ARG FLYCTL_VERSION=//p' Dockerfile)

echo "==> no USER (the runner's files are root's)"
user=$(docker image inspect --format '{{.Config.User}}' "$image")
[ -z "$user" ] || fail "the image runs as '$user'"

echo "==> --version, with the AppCDS archive required to map"
out=$(docker run --rm "$image" --version)
[ "$out" = "flyover $version" ] || fail "--version printed '$out'"
docker run --rm --entrypoint /opt/flyover/runtime/bin/java "$image" \
  -Xshare:on -XX:SharedArchiveFile=/opt/flyover/flyover.jsa -jar /opt/flyover/flyover.jar --version >/dev/null \
  || fail "the AppCDS archive does not map (the jar's path, size or mtime changed after it was made)"

echo "==> flyctl $flyctl_version and the PostgreSQL clients"
docker run --rm --entrypoint flyctl "$image" version | grep -F "$flyctl_version" || fail "flyctl is not $flyctl_version"
for v in $(sed -n 's/^ARG PG_MAJORS="\(.*\)"$/\1/p' Dockerfile); do
  docker run --rm --entrypoint "/usr/lib/postgresql/$v/bin/pg_dump" "$image" --version | grep -E " $v\." \
    || fail "pg_dump $v is missing"
done

echo "==> flyover action, with the runner's mounts, flags and variables"
root=$(mktemp -d)
mkdir -p "$root/workspace" "$root/file_commands" "$root/home"
printf 'app = "flyover-smoke"\n' > "$root/workspace/fly.toml"
: > "$root/file_commands/set_output"
: > "$root/file_commands/step_summary"
set +e
docker run --rm --workdir /github/workspace \
  -v "$root/workspace:/github/workspace" -v "$root/file_commands:/github/file_commands" -v "$root/home:/github/home" \
  -e HOME=/github/home -e GITHUB_ACTIONS=true -e CI=true -e GITHUB_WORKSPACE=/github/workspace \
  -e GITHUB_OUTPUT=/github/file_commands/set_output -e GITHUB_STEP_SUMMARY=/github/file_commands/step_summary \
  -e INPUT_COMMAND=no-such-command "$image" > "$root/log" 2>&1
code=$?
set -e
cat "$root/log"
[ "$code" -eq 1 ] || fail "a bad command input exited $code, not 1"
grep -q "^::error::The command input is 'no-such-command'" "$root/log" || fail "no ::error:: annotation for the bad input"
grep -Eq '^status(=|<<)' "$root/file_commands/set_output" || fail "no status output was written"
echo "smoke-image: OK"
