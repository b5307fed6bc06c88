"""fly machine run | status (internal/command/machine/run.go, status.go; flyctl ad0172f, fly-go v0.9.6).

`machine run IMAGE [CMD...]` launches a machine in an existing app and returns once it has started, printing
run.go's lines on stdout (` Machine ID: <id>` among them); it never streams the machine's output and never
waits for it to exit. Here a machine is a local process: the image must be registered in
state["images"][IMAGE] = {"entrypoint": [...], "cmd": [...], "env": {...}} (an OCI image config in miniature:
tests register flyover's image with an entrypoint that runs flyover's classes), the words after the image replace
its cmd (init.cmd), and a supervisor (machine_supervisor.py) runs it detached, appends each output line to the
app's log (logs/<app>.jsonl, read by `fly logs`), and records the exit event when it ends; with --rm
(AutoDestroy) the machine is then `destroyed`. Destroying the app kills it (apps.py).

Files: `--file-secret /guest/path=SECRET` writes the app secret's base64-decoded content (command_run.go: "the
content of the secret must be base64 encoded"). A local process cannot see /guest/path, so the double writes the
file under the machine's directory and gives the process that host path wherever an --env value or a command word
equals the guest path exactly (the only way flyover names them).

`--vm-size` is checked against fly-go's MachinePresets with fly-go's own wording (machine_types.go SetSize).
Server-side failures whose real text is unknown (unknown image, missing secret) use neutral wording."""
import base64
import binascii
import json
import os
import subprocess
import sys

from . import cli, state as st
from .cli import command, fail, out

# fly-go machine_types.go MachinePresets (GPU presets left out: flyctl refuses them, internal/flag/machines.go).
VM_PRESETS = {
    "shared-cpu-1x": ("shared", 1, 256), "shared-cpu-2x": ("shared", 2, 512), "shared-cpu-4x": ("shared", 4, 1024),
    "shared-cpu-6x": ("shared", 6, 1536), "shared-cpu-8x": ("shared", 8, 2048),
    "performance-1x": ("performance", 1, 2048), "performance-2x": ("performance", 2, 4096),
    "performance-4x": ("performance", 4, 8192), "performance-6x": ("performance", 6, 12288),
    "performance-8x": ("performance", 8, 16384), "performance-10x": ("performance", 10, 20480),
    "performance-12x": ("performance", 12, 24576), "performance-14x": ("performance", 14, 28672),
    "performance-16x": ("performance", 16, 32768),
}

RUN_FLAGS = dict(cli.APP_FLAGS, **{
    "detach": ("bool", None, False),
    "port": ("stringSlice", "p", None),
    "env": ("stringArray", "e", None),
    "entrypoint": ("string", None, None),
    "dockerfile": ("string", None, None),
    "machine-config": ("string", None, None),
    "kernel-arg": ("stringArray", None, None),
    "metadata": ("stringArray", "m", None),
    "schedule": ("string", None, None),
    "skip-dns-registration": ("bool", None, False),
    "autostart": ("bool", None, True),
    "autostop": ("string", None, "off"),
    "restart": ("string", None, None),
    "standby-for": ("stringSlice", None, None),
    "file-local": ("stringArray", None, None),
    "file-literal": ("stringArray", None, None),
    "file-secret": ("stringArray", None, None),
    "vm-size": ("string", None, None),
    "vm-cpus": ("int", None, None),
    "vm-cpu-kind": ("string", None, None),
    "vm-memory": ("string", None, None),
    "host-dedication-id": ("string", None, None),
    "rootfs-persist": ("string", None, None),
    "rootfs-size": ("string", None, None),
    "swap-size": ("string", None, None),
    "cachedrive-size": ("string", None, None),
    "region": ("string", "r", None),
    "id": ("string", None, None),
    "name": ("string", "n", None),
    "org": ("string", None, None),
    "rm": ("bool", None, False),
    "volume": ("stringSlice", "v", None),
    "use-zstd": ("bool", None, False),
    "wg": ("bool", None, True),
    "user": ("string", None, "root"),
    "command": ("string", None, "/bin/bash"),
    "shell": ("bool", None, False),
    "container": ("string", None, None),
})


def set_size(size):
    """fly-go MachineGuest.SetSize."""
    if size in VM_PRESETS:
        return VM_PRESETS[size]
    if size.startswith("shared"):
        kind = "shared"
    elif size.startswith("performance"):
        kind = "performance"
    else:
        fail("invalid machine preset requested, '%s', expected to start with 'shared' or 'performance'" % size)
    valid = sorted(s for s in VM_PRESETS if s.startswith(kind))
    fail("'%s' is an invalid machine size, choose one of: [%s]" % (size, " ".join(valid)))


def parse_files(values, flag):
    """command_run.go parseFiles: GUEST=REF, the guest path absolute."""
    files = []
    for f in values:
        guest, eq, ref = f.partition("=")
        if not eq:
            fail("failed to read %s: invalid %s argument %s" % (flag, flag, f))
        if not guest.startswith("/"):
            fail("failed to read %s: guest path, %s, must be absolute" % (flag, guest))
        files.append((guest, ref))
    return files


def secret_value(app, name):
    v = (app.get("secrets") or {}).get(name)
    if isinstance(v, dict):
        return v.get("value")
    return v


def machine_dir(mid):
    return os.path.join(st.state_dir(), "machines", mid)


@command("machine run", flags=RUN_FLAGS, args=(0, None), aliases=("machines run", "m run"))
def machine_run(ctx):
    name = ctx.app_name(required=False)
    if not name:
        fail("the double needs -a/--app: without one flyctl would offer to create an app interactively")
    app = ctx.state["apps"].get(name)
    if app is None:
        # run.go asks whether to create the app; with no TTY the prompt fails.
        fail("prompt: non interactive")
    st.check_app_access(ctx, name)
    image = ctx.args[0] if ctx.args else ""
    if not image:
        fail("image argument can't be an empty string")
    guest = set_size(ctx.flag("vm-size")) if ctx.flag("vm-size") else VM_PRESETS["shared-cpu-1x"]
    env = {}
    for kv in ctx.flag("env"):
        k, eq, v = kv.partition("=")
        if not eq or not k:
            fail("invalid key/value pairs specified for flag env")
        env[k] = v
    restart = ctx.flag("restart")
    if restart not in (None, "", "no", "always", "on-failure", "on-fail"):
        fail("invalid restart provided")
    policy = restart or ("no" if ctx.flag("rm") else "always")
    images = ctx.state.get("images") or {}
    if image not in images:
        fail("could not launch machine: image %s could not be resolved" % image)
    img = images[image]
    mid = st.next_id(ctx.state)
    mdir = machine_dir(mid)
    fsdir = os.path.join(mdir, "fs")
    os.makedirs(fsdir, exist_ok=True)
    host_paths = {}
    for guest_path, secret in parse_files(ctx.flag("file-secret"), "file-secret"):
        value = secret_value(app, secret)
        if value is None:
            fail("could not launch machine: secret %s not found" % secret)
        try:
            content = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            fail("could not launch machine: secret %s is not base64" % secret)
        host = os.path.join(fsdir, guest_path.lstrip("/"))
        os.makedirs(os.path.dirname(host), exist_ok=True)
        fd = os.open(host, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        host_paths[guest_path] = host

    def local(v):
        return host_paths.get(v, v)

    cmd = ctx.args[1:] if len(ctx.args) > 1 else list(img.get("cmd") or [])
    argv = list(img.get("entrypoint") or []) + [local(w) for w in cmd]
    region = ctx.flag("region") or "iad"
    child_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": mdir,
                 "FLY_APP_NAME": name, "FLY_MACHINE_ID": mid, "FLY_REGION": region}
    child_env.update(img.get("env") or {})
    child_env.update({k: local(v) for k, v in env.items()})
    machine = {
        "id": mid, "instance_id": "01" + mid.upper(), "name": ctx.flag("name") or "machine-" + mid,
        "state": "started", "region": region, "private_ip": "fdaa:0:1:a7b:1::%s" % mid[-4:],
        "config": {"image": image, "auto_destroy": bool(ctx.flag("rm")), "restart": {"policy": policy},
                   "guest": {"cpu_kind": guest[0], "cpus": guest[1], "memory_mb": guest[2]},
                   "env": env, "init": {"cmd": cmd},
                   "files": [{"guest_path": g, "secret_name": s} for g, s in parse_files(ctx.flag("file-secret"), "file-secret")],
                   "metadata": {}},
        "events": [{"type": "launch", "status": "created", "source": "user"},
                   {"type": "start", "status": "started", "source": "flyd"}],
    }
    app.setdefault("machines", []).append(machine)
    spec = {"state_dir": st.state_dir(), "app": name, "machine": mid, "region": region, "argv": argv,
            "env": child_env, "cwd": mdir}
    with open(os.path.join(mdir, "spec.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f)
    supervisor = os.path.join(os.path.dirname(os.path.realpath(__file__)), "machine_supervisor.py")
    p = subprocess.Popen([sys.executable, supervisor, os.path.join(mdir, "spec.json")], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
    machine["pid"] = p.pid
    out("Success! A Machine has been successfully launched in app %s" % name)
    out(" Machine ID: %s" % mid)
    out(" Instance ID: %s" % machine["instance_id"])
    out(" State: created")
    out("")
    out(" Attempting to start machine...")
    out("")
    if not ctx.flag("detach"):
        out("==> Monitoring health checks")
        out("No health checks found")
        out("")
    out("Machine started, you can connect via the following private ip")
    out("  %s" % machine["private_ip"])


def find_machine(ctx, mid):
    app = ctx.app()
    for m in app.get("machines", []):
        if m.get("id") == mid:
            return m
    # The server's wording for an unknown machine is not in flyctl's source.
    fail("failed to get machine %s: machine not found" % mid)


@command("machine status", flags=dict(cli.APP_FLAGS, **{
    "select": ("bool", "s", False),
    "display-config": ("bool", "d", False),
}), args=(0, 1), aliases=("machines status", "m status"))
def machine_status(ctx):
    if not ctx.args:
        fail("the double needs a machine id")
    m = find_machine(ctx, ctx.args[0])
    if ctx.flag("display-config"):
        cli.go_json(m.get("config", {}))
        return
    out("Machine ID: %s" % m["id"])
    out("Instance ID: %s" % m.get("instance_id", ""))
    out("State: %s" % m.get("state", "started"))
    out("HostStatus: ok")
    out("")
    out("VM")
    out("  ID            = %s" % m["id"])
    out("  State         = %s" % m.get("state", "started"))
    out("  Image         = %s" % m.get("config", {}).get("image", ""))
    out("  Region        = %s" % m.get("region", "iad"))
    out("")
    out("Event Logs")
    out("STATE\tEVENT\tSOURCE\tTIMESTAMP\tINFO")
    for e in reversed(m.get("events", [])):
        info = ""
        ex = (e.get("request") or {}).get("exit_event")
        if ex is not None:
            info = "exit_code=%d,oom_killed=%s,requested_stop=%s" % (
                ex.get("exit_code", 0), str(ex.get("oom_killed", False)).lower(), str(ex.get("requested_stop", False)).lower())
        out("%s\t%s\t%s\t%s\t%s" % (e.get("status", ""), e.get("type", ""), e.get("source", ""), e.get("timestamp", ""), info))


def kill_machines(app):
    """Destroying an app destroys its machines: their processes go with it."""
    import signal
    for m in app.get("machines", []):
        pid = m.get("pid")
        if pid and m.get("state") not in ("stopped", "destroyed"):
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        m["state"] = "destroyed"
