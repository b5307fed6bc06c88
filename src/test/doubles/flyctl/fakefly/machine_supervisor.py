"""Runs one double machine (see machines.py): the process, its output into the app's log, its exit event.

Started detached (its own session) by `machine run`, so it outlives the flyctl call as a real machine does; the
session is killed when the app is destroyed. Each output line becomes one log entry (logs/<app>.jsonl, appended
under a lock) as Fly's log shipping makes one entry per line, stdout and stderr alike."""
import datetime
import fcntl
import json
import os
import subprocess
import sys
import threading


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def main(spec_path):
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    state_dir = spec["state_dir"]
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    os.environ["FLY_DOUBLE_STATE"] = state_dir
    from fakefly import state as st  # noqa: E402

    logs_dir = os.path.join(state_dir, "logs")
    os.makedirs(logs_dir, exist_ok=True)
    log_path = os.path.join(logs_dir, spec["app"] + ".jsonl")
    lock = threading.Lock()

    def log(message, provider="app"):
        entry = {"timestamp": now(), "instance": spec["machine"], "region": spec["region"], "level": "info",
                 "message": message, "provider": provider}
        with lock, open(log_path, "a", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    try:
        p = subprocess.Popen(spec["argv"], env=spec["env"], cwd=spec["cwd"], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        log("Error: failed to spawn command: %s" % e, provider="runner")
        code = 127
    else:
        def pump(stream):
            for raw in iter(stream.readline, b""):
                log(raw.decode("utf-8", "replace").rstrip("\r\n"))

        threads = [threading.Thread(target=pump, args=(s,)) for s in (p.stdout, p.stderr)]
        for t in threads:
            t.start()
        code = p.wait()
        for t in threads:
            t.join()

    def finish(state):
        app = state.get("apps", {}).get(spec["app"])
        if not app:
            return
        for m in app.get("machines", []):
            if m.get("id") != spec["machine"]:
                continue
            m.setdefault("events", []).append({"type": "exit", "status": "stopped", "source": "flyd",
                                               "request": {"exit_event": {"exit_code": code if code >= 0 else 128 - code,
                                                                          "oom_killed": False, "requested_stop": False}}})
            m["state"] = "stopped"
            if m.get("config", {}).get("auto_destroy"):
                m["events"].append({"type": "destroy", "status": "destroyed", "source": "flyd"})
                m["state"] = "destroyed"

    st.update(finish)


if __name__ == "__main__":
    main(sys.argv[1])
