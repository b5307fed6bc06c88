#!/usr/bin/env bash
# Prepares release X.Y.Z: sets pom.xml's version (what `flyover --version` prints and the jar's manifest carries)
# and points action.yml's runs.image at the tag the release workflow will push for vX.Y.Z (the workflow then
# names that image by digest in the commit it tags: scripts/pin-image.sh). Commit, tag vX.Y.Z, push the tag.
# Usage: scripts/set-version.sh X.Y.Z
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: $0 X.Y.Z}
version=${version#v}
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "error: '$version' is not X.Y.Z" >&2; exit 2; }
sed -i -E "0,/^  <version>.*<\/version>$/s//  <version>${version}<\/version>/" pom.xml
# Either form runs.image takes: by tag (main) or by digest (a release commit).
sed -i -E "s|^(  image: docker://ghcr\.io/[^/]+/flyover)[:@].*$|\1:v${version}|" action.yml
grep -q "^  <version>${version}</version>$" pom.xml || { echo "error: pom.xml's version was not set" >&2; exit 1; }
grep -q "^  image: docker://ghcr.io/.*/flyover:v${version}$" action.yml || { echo "error: action.yml's runs.image was not set" >&2; exit 1; }
echo "pom.xml and action.yml now say $version; commit, then: git tag v$version && git push origin v$version"
