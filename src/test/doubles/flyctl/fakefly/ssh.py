"""fly ssh console: runs the -C command on a "machine" that is a local directory.

As flyctl does (internal/command/ssh/console.go, ssh/io.go): only machines in state `started` are eligible; with
more than one and no --machine it prints `No machine specified, using <id> in region <r>` to STDOUT (polluting
captured output, as the real one does); `Connecting to <addr>...` goes to stderr; the -C string is executed
WITHOUT a shell, split into words (shlex here), so `sh -c '...'` is how a pipeline runs; remote stdout/stderr pass
through; a non-zero remote exit becomes `Error: ssh shell: Process exited with status N` and exit 1 whatever N was.

The machine's environment is PATH, the app's state["apps"][app]["machine_env"], and its deployed secrets (values
as the secrets verbs store them; staged ones are not on running machines). Its working directory is state["apps"][app]["machines"][i]["dir"], else a directory
under the state dir named after the machine id."""
import os
import shlex
import subprocess
import sys

from . import cli, state as st
from .cli import command


def _secret_values(app):
    """Secrets a running machine has: deployed ones only (a staged secret reaches machines on the next deploy)."""
    out = {}
    for name, v in (app.get("secrets") or {}).items():
        if isinstance(v, dict):
            if v.get("value") is not None and v.get("status", "Deployed") != "Staged":
                out[name] = v["value"]
        elif isinstance(v, str):
            out[name] = v
    return out


@command("ssh console", flags=dict(cli.APP_FLAGS, **{
    "org": ("string", "o", None),
    "command": ("string", "C", None),
    "machine": ("string", None, None),
    "select": ("bool", "s", False),
    "region": ("string", "r", None),
    "quiet": ("bool", "q", False),
    "address": ("string", "A", None),
    "container": ("string", None, None),
    "no-container": ("bool", None, False),
    "pty": ("bool", None, False),
    "user": ("string", "u", "root"),
    "process-group": ("string", None, None),
}), args=(0, 0), lock=False)
def console(ctx):
    name = ctx.app_name()
    app = ctx.app()
    started = [m for m in app.get("machines", []) if m.get("state") == "started"]
    if ctx.flag("machine"):
        started = [m for m in started if m.get("id") == ctx.flag("machine")]
        if not started:
            cli.fail("machine %s was not found in app '%s'" % (ctx.flag("machine"), name))
    if not started:
        cli.fail("app %s has no started VMs.\nIt may be unhealthy or not have been deployed.\n"
                 "Try the following command to verify:\n\nfly status" % name)
    m = started[0]
    if len(started) > 1 and not ctx.flag("machine"):
        cli.out("No machine specified, using %s in region %s" % (m["id"], m.get("region", "iad")))
        sys.stdout.flush()
    cli.progress("Connecting to %s..." % m.get("private_ip", "fdaa:0:1:a7b:1::2"))
    cmd = ctx.flag("command")
    if not cmd:
        cli.fail("the double only runs ssh console with -C/--command")
    try:
        argv = shlex.split(cmd)
    except ValueError as e:
        cli.fail("ssh shell: %s" % e)
    workdir = m.get("dir") or os.path.join(st.state_dir(), "machines", m["id"])
    os.makedirs(workdir, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": workdir}
    env.update(app.get("machine_env") or {})
    env.update(_secret_values(app))
    sys.stdout.flush()
    try:
        rc = subprocess.run(argv, cwd=workdir, env=env).returncode
    except FileNotFoundError:
        sys.stderr.write('exec: "%s": executable file not found in $PATH\n' % argv[0])
        rc = 127
    if rc != 0:
        cli.fail("ssh shell: Process exited with status %d" % (rc if rc > 0 else 128 - rc))
    return 0
