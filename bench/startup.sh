#!/usr/bin/env bash
# Startup benchmark: `flyover --version`, `flyover deploy --dry-run` (when the jar has it) and `flyover action`
# asked for a deploy dry-run (what every container run executes), through plain `java -jar target/flyover.jar` and
# through the runtime the image ships (scripts/build-runtime.sh: jlink + AppCDS, started with the Dockerfile's
# ENTRYPOINT flags), with a hello-world class as the floor. All commands are measured in one run, alternating:
# ROUNDS rounds of hyperfine, each running every command RUNS times, so drift on a shared machine hits all alike.
# Reports medians, ratios (image / plain jar) and peak memory (/usr/bin/time -v), as Markdown on stdout and in
# target/bench/startup.md.
#
# Usage: bench/startup.sh        ROUNDS (default 10), RUNS (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-10}
RUNS=${RUNS:-3}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v hyperfine >/dev/null || [ ! -x /usr/bin/time ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine time >/dev/null
fi

out=target/bench
rm -rf "$out" && mkdir -p "$out/workspace" "$out/home"
[ -f target/flyover.jar ] || mvn -B -ntp -q package -DskipTests
# Copies, so a build during the benchmark cannot change what is measured.
cp target/flyover.jar "$out/flyover.jar"
bash scripts/build-runtime.sh "$out/flyover.jar" "$out/image-runtime" >/dev/null
jar=$PWD/$out/flyover.jar
img=$PWD/$out/image-runtime

# The image's own ENTRYPOINT, with /opt/flyover (where the image has the runtime) pointing at the local build.
mapfile -t entry < <(python3 - "$img" <<'PY'
import json, re, sys
text = open("Dockerfile").read()
m = re.search(r'^ENTRYPOINT\s+(\[.*\])\s*$', text, re.M)
for arg in json.loads(m.group(1)):
    print(arg.replace("/opt/flyover", sys.argv[1]))
PY
)

cat > "$out/Hello.java" <<'JAVA'
public class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
JAVA
javac -d "$out" "$out/Hello.java"
printf 'app = "flyover-bench"\nprimary_region = "iad"\n' > "$out/workspace/fly.toml"
: > "$out/github_output"
: > "$out/step_summary"

# Every command starts from the same clean environment; the dry-run is given the way the runner gives it.
base_env=(env -i PATH=/usr/bin:/bin HOME="$PWD/$out/home" FLYCTL=/bin/false)
# `flyover action` is what every container run executes: a deploy dry-run asked for the way the runner asks.
action_env=(GITHUB_ACTIONS=true GITHUB_WORKSPACE="$PWD/$out/workspace" GITHUB_OUTPUT="$PWD/$out/github_output"
  GITHUB_STEP_SUMMARY="$PWD/$out/step_summary" INPUT_COMMAND=deploy INPUT_DRY-RUN=true
  INPUT_FLY-API-TOKEN=bench-token INPUT_FLY-APP=flyover-bench)

names=(); cmds=()
add() { names+=("$1"); shift; local q; printf -v q '%q ' "$@"; cmds+=("${q% }"); }
add "hello world (floor)"        "${base_env[@]}" java -cp "$PWD/$out" Hello
add "--version, plain jar"       "${base_env[@]}" java -jar "$jar" --version
add "--version, image runtime"   "${base_env[@]}" "${entry[@]}" --version
if java -jar "$jar" deploy --help 2>/dev/null | grep -q -- '--dry-run'; then
  dry=(deploy --dry-run --fly-app=flyover-bench --fly-api-token=bench-token)
  add "deploy --dry-run, plain jar"      "${base_env[@]}" java -jar "$jar" "${dry[@]}"
  add "deploy --dry-run, image runtime"  "${base_env[@]}" "${entry[@]}" "${dry[@]}"
fi
add "action (deploy dry-run), plain jar"     "${base_env[@]}" "${action_env[@]}" java -jar "$jar" action
add "action (deploy dry-run), image runtime" "${base_env[@]}" "${action_env[@]}" "${entry[@]}" action

cut -d' ' -f1-3 /proc/loadavg > "$out/load-start"
cd "$out/workspace"
for ((r = 1; r <= ROUNDS; r++)); do
  echo "round $r/$ROUNDS" >&2
  hyperfine -N -i --style none --warmup 1 --runs "$RUNS" --export-json "../round-$r.json" "${cmds[@]}" >/dev/null 2>&1
done
for i in "${!cmds[@]}"; do
  for _ in 1 2 3; do
    { eval "/usr/bin/time -v ${cmds[$i]}" 2>&1 >/dev/null || true; } | awk -v i="$i" '/Maximum resident set size/ {print i, $NF}'
  done
done > ../rss.txt
cd - >/dev/null
cut -d' ' -f1-3 /proc/loadavg > "$out/load-end"

python3 - "$out" "$ROUNDS" "$RUNS" "${names[@]}" <<'PY' | tee "$out/startup.md"
import json, statistics, sys, glob, subprocess, os
out, rounds, runs, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
times = {i: [] for i in range(len(names))}
for f in glob.glob(f"{out}/round-*.json"):
    for i, res in enumerate(json.load(open(f))["results"]):
        times[i] += res["times"]
rss = {i: [] for i in range(len(names))}
for line in open(f"{out}/rss.txt"):
    i, kb = line.split()
    rss[int(i)].append(int(kb))
med = {i: statistics.median(t) * 1000 for i, t in times.items()}
mem = {i: statistics.median(v) / 1024 for i, v in rss.items()}
jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[1]
load = [open(f"{out}/load-{w}").read().strip() for w in ("start", "end")]
print(f"{os.cpu_count()} CPUs, {jdk}; {rounds} alternating rounds x {runs} runs = {rounds * runs} samples per "
      f"command; load average {load[0]} at the start, {load[1]} at the end.\n")
print("| Command | Median | vs plain jar | Peak RSS |")
print("| --- | ---: | ---: | ---: |")
for i, n in enumerate(names):
    ratio = ""
    if n.endswith("image runtime"):
        ratio = f"{med[i] / med[i - 1]:.2f}x"
    elif n.endswith("plain jar"):
        ratio = "1.00x"
    print(f"| {n} | {med[i]:.0f} ms | {ratio} | {mem[i]:.0f} MiB |")
PY
