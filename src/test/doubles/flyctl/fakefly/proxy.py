"""fly proxy <local[:remote]> [remote_host]: forwards TCP from a local port to a target the test configured,
standing in for the WireGuard tunnel: state["proxy_targets"]["db.flycast:5432"] = "127.0.0.1:5432".

Like flyctl (internal/command/proxy): 1-2 args, remote port defaults to the local one, remote host defaults to
<app>.internal, local port 0 picks a free port, binds 127.0.0.1 unless -b; the readiness line
`Proxying localhost:<port> to remote [<host>]:<rport>` goes to stdout (it says localhost whatever -b is), then it
blocks; --watch-stdin exits when stdin reaches EOF. Faults: {"mode": "die-after-ready"} exits 1 after the line,
{"mode": "die-after-bytes", "bytes": N} drops every connection and exits after forwarding N bytes."""
import os
import socket
import sys
import threading

from . import cli, state as st
from .cli import command


def _consume_fault(s):
    """This verb runs outside the lock on a snapshot: count the fault down in the saved state."""
    faults = s.get("faults", {})
    f = faults.get("proxy")
    if f and "times" in f:
        f["times"] -= 1
        if f["times"] <= 0:
            del faults["proxy"]


@command("proxy", flags=dict(cli.APP_FLAGS, **{
    "org": ("string", "o", None),
    "select": ("bool", "s", False),
    "quiet": ("bool", "q", False),
    "bind-addr": ("string", "b", "127.0.0.1"),
    "watch-stdin": ("bool", None, False),
}), args=(1, 2), lock=False)
def proxy(ctx):
    spec = ctx.args[0]
    local, _, remote = spec.partition(":")
    remote = remote or local
    if not local.isdigit():
        cli.fail("the double does not proxy to unix sockets (%s)" % local)
    if not remote.isdigit():
        cli.fail('strconv.Atoi: parsing "%s": invalid syntax' % remote)
    if ctx.flag("org"):
        app = None
        # proxy.go: GetOrganizationBySlug first
        if not any(o["slug"] == ctx.flag("org") for o in ctx.state.get("orgs", [])):
            cli.fail("organization %s not found" % ctx.flag("org"))
    else:
        app = ctx.app_name(required=False)
        if app:
            ctx.app()
        else:
            # proxy.go: with neither app nor org it asks prompt.Org, which picks a lone personal org and otherwise
            # fails without a terminal (internal/prompt/prompt.go); the network is then looked up with an empty name.
            from . import apps
            apps.find_org(ctx, None)
    if len(ctx.args) < 2 and not app:
        cli.fail("(double: no remote host and no app to default it from)")
    host = ctx.args[1] if len(ctx.args) > 1 else "%s.internal" % app
    target = (ctx.state.get("proxy_targets") or {}).get("%s:%s" % (host, remote))
    if not target:
        cli.fail("dial: lookup %s on fdaa::3: no such host" % host)
    fault = dict((ctx.state.get("faults") or {}).get("proxy") or {})
    if fault:
        st.update(_consume_fault)
    forward(ctx.flag("bind-addr"), local, "[%s]:%s" % (host, remote), target, fault, ctx.flag("watch-stdin"))


def forward(bind, local, shown_remote, target, fault, watch_stdin):
    """Listens on bind:local (0 = any free port), prints proxy/connect.go's readiness line, forwards to target."""
    thost, _, tport = target.rpartition(":")

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        srv.bind((bind, int(local)))
    except OSError as e:
        cli.fail("listen tcp %s:%s: bind: %s" % (bind, local, e.strerror.lower()))
    srv.listen(64)
    port = srv.getsockname()[1]
    cli.out("Proxying localhost:%d to remote %s" % (port, shown_remote))
    sys.stdout.flush()
    if fault.get("mode") == "die-after-ready":
        cli.fail("tunnel unavailable: wireguard peer closed")

    budget = {"left": fault.get("bytes")} if fault.get("mode") == "die-after-bytes" else None
    lock = threading.Lock()

    def die():
        sys.stderr.write("Error: tunnel unavailable: failed probing \"personal\": context deadline exceeded\n")
        sys.stderr.flush()
        os._exit(1)

    def pump(a, b):
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                if budget is not None:
                    with lock:
                        budget["left"] -= len(data)
                        if budget["left"] <= 0:
                            die()
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def serve(conn):
        try:
            up = socket.create_connection((thost, int(tport)))
        except OSError:
            conn.close()
            return
        threading.Thread(target=pump, args=(conn, up), daemon=True).start()
        threading.Thread(target=pump, args=(up, conn), daemon=True).start()

    if watch_stdin:
        def watch():
            while sys.stdin.buffer.read(4096):
                pass
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()

    while True:
        conn, _ = srv.accept()
        serve(conn)
