"""fly ips list | allocate-v4 | allocate-v6 (internal/command/ips/*.go). Addresses live in
state["apps"][app]["ips"] as the PascalCase objects `ips list --json` prints; a shared IPv4 is one entry of
Type "shared_v4" with no ID and the zero time, as flyctl shows it."""
import datetime

from . import state as st
from .cli import command, out, go_json, APP_FLAGS, JSON_FLAG

ZERO_TIME = "0001-01-01T00:00:00Z"
SHARED_V4 = "66.241.124.%d"


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ips_of(app):
    return app.setdefault("ips", [])


def public_v4(app):
    return [i["Address"] for i in ips_of(app) if i["Type"] in ("v4", "shared_v4")]


def public_v6(app):
    return [i["Address"] for i in ips_of(app) if i["Type"] == "v6"]


@command("ips list", aliases=("ips ls", "ip list", "ip ls"), flags=dict(APP_FLAGS, **JSON_FLAG))
def ips_list(ctx):
    app = ctx.app()
    keys = ("ID", "Address", "Type", "Region", "CreatedAt")
    ips = [dict({k: i.get(k, "") for k in keys}, ServiceName=i.get("ServiceName", ""), Network=i.get("Network"))
           for i in ips_of(app)]
    if ctx.json():
        go_json(ips)
        return
    out("VERSION\tIP\tTYPE\tREGION\tCREATED AT")
    for i in ips:
        kind = {"shared_v4": "public (shared)", "v4": "public (dedicated)", "v6": "public (dedicated)",
                "private_v6": "private"}.get(i["Type"], i["Type"])
        version = "v4" if "v4" in i["Type"] else "v6"
        out("%s\t%s\t%s\t%s\t%s" % (version, i["Address"], kind, i["Region"] or "global",
                                     "" if i["CreatedAt"] == ZERO_TIME else i["CreatedAt"]))
    out("")
    out("Learn more about Fly.io public, private, shared and dedicated IP addresses in our docs: "
        "https://fly.io/docs/networking/services/#ip-addresses")


@command("ips allocate-v4", aliases=("ip allocate-v4",), flags=dict(APP_FLAGS, **JSON_FLAG, **{
    "shared": ("bool", None, False),
    "region": ("string", "r", None),
    "yes": ("bool", "y", False),
}))
def allocate_v4(ctx):
    app = ctx.app()
    n = len(ips_of(app)) + 1
    if ctx.flag("shared"):
        entry = {"ID": "", "Address": SHARED_V4 % (n + 10), "Type": "shared_v4", "Region": "", "CreatedAt": ZERO_TIME}
    else:
        entry = {"ID": "ip_" + st.next_id(ctx.state), "Address": "137.66.%d.%d" % (n, n + 20), "Type": "v4",
                 "Region": ctx.flag("region") or "global", "CreatedAt": now()}
    ips_of(app).append(entry)
    out("VERSION\tIP\tTYPE\tREGION\tCREATED AT")
    out("v4\t%s\t%s\t%s\t%s" % (entry["Address"], "public (shared)" if ctx.flag("shared") else "public",
                                entry["Region"] or "global", entry["CreatedAt"]))


@command("ips allocate-v6", aliases=("ip allocate-v6",), flags=dict(APP_FLAGS, **JSON_FLAG, **{
    "private": ("bool", None, False),
    "org": ("string", "o", None),
    "region": ("string", "r", None),
    "network": ("string", None, None),
}))
def allocate_v6(ctx):
    app = ctx.app()
    n = len(ips_of(app)) + 1
    entry = {"ID": "ip_" + st.next_id(ctx.state), "Address": "2a09:8280:1::%x:%x" % (n, 0x1000 + n),
             "Type": "private_v6" if ctx.flag("private") else "v6", "Region": ctx.flag("region") or "global",
             "CreatedAt": now()}
    ips_of(app).append(entry)
    out("VERSION\tIP\tTYPE\tREGION\tCREATED AT")
    out("v6\t%s\t%s\t%s\t%s" % (entry["Address"], "private" if ctx.flag("private") else "public",
                                entry["Region"], entry["CreatedAt"]))
