#!/usr/bin/env bash
# Names the released image by digest in action.yml's runs.image, so that a tag of this repository always runs the
# exact image that was built, smoke-tested and pushed with it (a tag on the registry can be moved, a digest not).
# The release workflow runs it with the digest the registry reports for the pushed manifest list.
# Usage: scripts/pin-image.sh REPOSITORY@sha256:DIGEST    (e.g. ghcr.io/flyover/flyover@sha256:<64 hex digits>)
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1-}
[[ "$ref" =~ ^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+@sha256:[0-9a-f]{64}$ ]] \
  || { echo "error: '$ref' is not REPOSITORY@sha256:<64 lowercase hex digits>" >&2; exit 2; }
[ "$(grep -c '^  image: docker://' action.yml)" = 1 ] \
  || { echo "error: action.yml should have exactly one '  image: docker://' line under runs" >&2; exit 1; }
sed -i -E "s|^  image: docker://.*$|  image: docker://${ref}|" action.yml
grep -qxF "  image: docker://${ref}" action.yml || { echo "error: action.yml's runs.image was not set" >&2; exit 1; }
echo "action.yml now runs docker://${ref}"
