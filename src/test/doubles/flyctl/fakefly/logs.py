"""fly logs (internal/command/logs/logs.go; flyctl ad0172f): the app's log entries, oldest first, then (unless
--no-tail) new ones as they come, until killed. --machine/-m (alias --instance) filters by machine id. With
--json each entry is rendered as render.JSON does it (json.Encoder, 4-space indent, one object after another) with
logs.LogEntry's fields (logs/entry.go: level, instance, message, region, timestamp, meta); otherwise as
render.LogEntry with HideAllocID and HideRegion: `<time> <provider>[<instance>] <region> [<level>] <message>`.
The entries are what machine_supervisor.py appended to logs/<app>.jsonl.

Fault: state["faults"]["logs"] = {"mode": "die-after", "entries": N, "times": T} ends the stream with an error
after N entries (a dropped connection; the real error text is not flyctl's own, so it is neutral here)."""
import json
import os
import sys
import time

from . import cli, state as st
from .cli import command, fail


def render(entry, as_json):
    if as_json:
        obj = {"level": entry["level"], "instance": entry["instance"], "message": entry["message"],
               "region": entry["region"], "timestamp": entry["timestamp"],
               "meta": {"Instance": entry["instance"], "Region": entry["region"],
                        "Event": {"Provider": entry.get("provider", "app")},
                        "HTTP": {"Request": {"ID": "", "Method": "", "Version": ""}, "Response": {"status_code": 0}},
                        "Error": {"Code": 0, "Message": ""}, "URL": {"Full": ""}}}
        cli.go_json(obj)
    else:
        cli.out("%s %s[%s] %s [%s]%s" % (entry["timestamp"], entry.get("provider", "app"), entry["instance"],
                                         entry["region"], entry["level"], entry["message"]))
    sys.stdout.flush()


@command("logs", flags=dict(cli.APP_FLAGS, **cli.JSON_FLAG, **{
    "region": ("string", "r", None),
    "machine": ("string", "m", None),
    "instance": ("string", None, None),
    "select": ("bool", "s", False),
    "no-tail": ("bool", "n", False),
}), args=(0, 0), lock=False)
def logs(ctx):
    name = ctx.app_name()
    if name not in ctx.state["apps"]:
        fail('failed to get app: Could not find App "%s"' % name)
    st.check_app_access(ctx, name)
    fault = dict((ctx.state.get("faults") or {}).get("logs") or {})
    if fault:
        def consume(state):
            f = state.get("faults", {}).get("logs")
            if f and "times" in f:
                f["times"] -= 1
                if f["times"] <= 0:
                    del state["faults"]["logs"]
        st.update(consume)
    budget = fault.get("entries") if fault.get("mode") == "die-after" else None
    machine = ctx.flag("machine") or ctx.flag("instance")
    path = os.path.join(st.state_dir(), "logs", name + ".jsonl")
    pos = 0
    buf = b""
    while True:
        if os.path.exists(path):
            with open(path, "rb") as f:
                f.seek(pos)
                chunk = f.read()
                pos += len(chunk)
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                if not line.strip():
                    continue
                entry = json.loads(line)
                if machine and entry["instance"] != machine:
                    continue
                if budget is not None:
                    if budget <= 0:
                        fail("log stream closed")
                    budget -= 1
                render(entry, ctx.json())
        if ctx.flag("no-tail"):
            return 0
        time.sleep(0.1)
