#!/usr/bin/env bash
# Pins flyctl VERSION for the image: writes the Linux x86_64 and arm64 checksums from the release's own checksum
# list into docker/flyctl.sha256 and makes VERSION the Dockerfile's FLYCTL_VERSION default. Needs network access
# to github.com; review the diff before committing (the checksums are the pin).
# Usage: scripts/update-flyctl.sh VERSION     (e.g. 0.4.111, no leading v)
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: $0 VERSION}
version=${version#v}
sums=$(curl -fsSL --proto '=https' \
  "https://github.com/superfly/flyctl/releases/download/v${version}/flyctl_${version}_checksums.txt")
lines=$(grep -E "  flyctl_${version}_Linux_(x86_64|arm64)\.tar\.gz$" <<<"$sums" || true)
[ "$(wc -l <<<"$lines")" -eq 2 ] || { echo "error: the v$version checksum list lacks a Linux x86_64 or arm64 archive" >&2; exit 1; }
printf '%s\n' "$lines" > docker/flyctl.sha256
sed -i -E "s/^ARG FLYCTL_VERSION=.*/ARG FLYCTL_VERSION=${version}/" Dockerfile
echo "flyctl pinned to $version:"
cat docker/flyctl.sha256
