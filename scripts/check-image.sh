#!/usr/bin/env bash
# Checks, without a Docker engine, that the image's stages are consistent (run by .ci/run after the jar is built):
#   1. the jlink module list in scripts/build-runtime.sh is exactly what jdeps finds in the jar, plus the
#      documented service-lookup modules;
#   2. the Dockerfile's final stage copies only the runtime, the jar and the AppCDS archive from the runtime stage
#      (and flyctl from its stage), has no USER, and its exec-form ENTRYPOINT runs that runtime with that archive;
#   3. the script really builds that runtime here: only those modules, an archive that maps (-Xshare:on), and the
#      ENTRYPOINT's command line starting `--version` and `action` as the runner would.
# Usage: scripts/check-image.sh [JAR]     (default target/flyover.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${1:-target/flyover.jar}
fail() { echo "check-image: $*" >&2; exit 1; }
[ -f "$jar" ] || fail "$jar is missing: build it first (mvn package)"

echo "==> jdeps vs the jlink module list"
found=$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 "$jar")
{ read -r listed; read -r extra; } < <(bash scripts/build-runtime.sh --print-modules)
[ "$found" = "$listed" ] || fail "jdeps finds $found in the jar but scripts/build-runtime.sh lists $listed: update JDEPS_MODULES there."
for m in ${extra//,/ }; do
  case ",$found," in *",$m,"*) fail "$m is now found by jdeps; move it from EXTRA_MODULES to JDEPS_MODULES." ;; esac
done

echo "==> Dockerfile stages"
python3 - <<'PY'
import json, re, sys
text = open("Dockerfile").read().replace("\\\n", " ")
lines = [l.strip() for l in text.splitlines() if l.strip() and not l.strip().startswith("#")]
stages, cur = {}, None
for l in lines:
    word = l.split()[0].upper()
    if word == "FROM":
        m = re.search(r"\bAS\s+(\S+)\s*$", l, re.I)
        cur = m.group(1) if m else "<final>"
        stages[cur] = []
    elif cur is not None:
        stages[cur].append(l)
def fail(msg):
    sys.exit("check-image: Dockerfile: " + msg)
if list(stages)[-1] != "<final>":
    fail("the last stage must be the unnamed final stage")
if any(l.split()[0].upper() == "USER" for ls in stages.values() for l in ls):
    fail("no USER line: the runner's workspace and command files are writable only by root")
final = stages["<final>"]
want = {("runtime", "/opt/flyover/runtime"), ("runtime", "/opt/flyover/flyover.jar"),
        ("runtime", "/opt/flyover/flyover.jsa"), ("flyctl", "/usr/local/bin/flyctl")}
copies = set()
for l in final:
    word = l.split()[0].upper()
    if word == "ADD":
        fail("the final stage must not ADD anything: " + l)
    if word == "COPY":
        m = re.fullmatch(r"COPY\s+--from=(\S+)\s+(\S+)\s+(\S+)", l)
        if not m or m.group(2) != m.group(3):
            fail("the final stage may only copy a stage's file to the same path: " + l)
        copies.add((m.group(1), m.group(2)))
if copies != want:
    fail("the final stage must copy exactly %s, not %s" % (sorted(want), sorted(copies)))
if not any("build-runtime.sh" in l and "/opt/flyover" in l for l in stages.get("runtime", [])):
    fail("the runtime stage must build /opt/flyover with scripts/build-runtime.sh")
entry = [l for l in final if l.split()[0].upper() == "ENTRYPOINT"]
if len(entry) != 1:
    fail("the final stage needs one ENTRYPOINT")
try:
    argv = json.loads(entry[0].split(None, 1)[1])
except ValueError:
    fail("ENTRYPOINT must be exec form (a JSON array), so Java is PID 1")
need = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=/opt/flyover/flyover.jsa",
        "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8"]
if argv[0] != "/opt/flyover/runtime/bin/java" or argv[-2:] != ["-jar", "/opt/flyover/flyover.jar"]:
    fail("ENTRYPOINT must run /opt/flyover/runtime/bin/java ... -jar /opt/flyover/flyover.jar")
missing = [f for f in need if f not in argv]
if missing:
    fail("ENTRYPOINT lacks " + " ".join(missing))
if not any("touch -d @315532800 /opt/flyover/flyover.jar" in l for l in final):
    fail("the final stage must give the jar back the mtime scripts/build-runtime.sh set (touch -d @315532800)")
if 'CMD ["action"]' not in final:
    fail('the final stage must end with CMD ["action"]')
if not any(re.match(r"ENV\s+LANG=C\.UTF-8\b", l) for l in final):
    fail("the final stage must set ENV LANG=C.UTF-8")
PY

echo "==> action.yml names this version's image"
pom_version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -n 1)
grep -Eq "^  image: docker://ghcr\.io/[a-z0-9-]+/flyover:v${pom_version//./\\.}\$" action.yml \
  || fail "action.yml's runs.image should be docker://ghcr.io/OWNER/flyover:v$pom_version: run scripts/set-version.sh $pom_version"

echo "==> flyctl pin"
version=$(sed -n 's/^ARG FLYCTL_VERSION=//p' Dockerfile)
grep -q "  flyctl_${version}_Linux_x86_64.tar.gz\$" docker/flyctl.sha256 \
  || fail "docker/flyctl.sha256 has no checksum for flyctl $version (x86_64): run scripts/update-flyctl.sh $version"
grep -q "  flyctl_${version}_Linux_arm64.tar.gz\$" docker/flyctl.sha256 \
  || fail "docker/flyctl.sha256 has no checksum for flyctl $version (arm64), so the linux/arm64 image cannot build: run scripts/update-flyctl.sh $version"

echo "==> the runtime, built here by the image's own script"
dest=target/image-runtime
bash scripts/build-runtime.sh "$jar" "$dest" >/dev/null
modules=$("$dest/runtime/bin/java" --list-modules | sed 's/@.*//' | sort | paste -sd, -)
# jlink adds what the listed modules require; the JDK's own --limit-modules gives the same closure.
expected=$(java --limit-modules "$listed,$extra" --list-modules | sed 's/@.*//' | sort | paste -sd, -)
[ "$modules" = "$expected" ] || fail "the runtime has modules $modules, expected $expected"
mapfile -t entry < <(python3 -c '
import json, re, sys
m = re.search(r"^ENTRYPOINT\s+(\[.*\])\s*$", open("Dockerfile").read(), re.M)
print("\n".join(a.replace("/opt/flyover", sys.argv[1]) for a in json.loads(m.group(1))))' "$PWD/$dest")
# -Xshare:on refuses to start when the archive does not map, where the image's -Xshare:auto would quietly not use it.
out=$(env -i PATH=/usr/bin:/bin "${entry[0]}" -Xshare:on "${entry[@]:1}" --version)
[ "$out" = "flyover $(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -n 1)" ] || fail "--version printed: $out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/workspace" "$work/home"
: > "$work/output"
: > "$work/summary"
(cd "$work/workspace" && env -i PATH=/usr/bin:/bin HOME="$work/home" GITHUB_ACTIONS=true CI=true \
  GITHUB_WORKSPACE="$work/workspace" GITHUB_OUTPUT="$work/output" GITHUB_STEP_SUMMARY="$work/summary" \
  INPUT_COMMAND=no-such-command "${entry[0]}" -Xshare:on "${entry[@]:1}" action >"$work/log" 2>&1) && fail "action accepted a bad command input"
grep -q "^::error::The command input is 'no-such-command'" "$work/log" || fail "action did not report the bad input: $(cat "$work/log")"
grep -Eq "^status(=|<<)" "$work/output" || fail "action wrote no status output: $(cat "$work/output")"
echo "check-image: OK (modules $listed,$extra; runtime $(du -sh "$dest/runtime" | cut -f1), archive $(du -sh "$dest/flyover.jsa" | cut -f1))"
