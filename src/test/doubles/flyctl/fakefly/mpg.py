"""fly mpg create | attach | list | status | proxy | databases extensions enable (internal/command/mpg/*.go, v2/run_*.go).

A cluster lives in state["mpg_clusters"][ID] = {"id", "name", "org", "region", "plan", "disk", "major", "status",
"user", "password", "db"}. Test hook: when state["mpg_backend"] is a superuser URL of a real PostgreSQL, create
also makes the cluster's database there, owned by a LOGIN role that is no superuser (Managed Postgres's rights),
`mpg proxy` forwards to that server, and `extensions enable` runs CREATE EXTENSION there as the superuser (what
Fly's API does for a role that cannot). Connection strings name pgbouncer.<ID>.flympg.net, as Fly's do
(fly.io/docs/mpg/client-configuration/); the double's user and database names are its own."""
import secrets as pysecrets
import urllib.parse

from . import cli, proxy as proxymod, state as st
from .cli import command, fail, out, progress, go_json, APP_FLAGS, JSON_FLAG
from .postgres import backend_exec

ORG_FLAG = {"org": ("string", "o", None)}
# internal/command/mpg/plans.go (keys as flyctl has them: the fifth is capitalised, so normalizePlan never finds it)
PLANS = {"basic": ("Basic", "Shared x 2", "1 GB", 38), "starter": ("Starter", "Shared x 2", "2 GB", 72),
         "launch": ("Launch", "Performance x 2", "8 GB", 282), "scale": ("Scale", "Performance x 4", "33 GB", 962),
         "Performance": ("Performance", "Performance x 8", "64 GB", 1922)}
REGIONS = ("ams", "fra", "iad", "lhr", "ord", "sjc", "syd", "nrt", "sin", "gru")


def clusters(state):
    return state.setdefault("mpg_clusters", {})


def find(ctx, cluster_id):
    c = clusters(ctx.state).get(cluster_id or "")
    if c is None:
        # mpg.go ClusterFromArgOrSelect
        fail('managed postgres cluster "%s" not found' % (cluster_id or ""))
    return c


def uri(c):
    u = "postgresql://%s:%s@pgbouncer.%s.flympg.net/%s" % (c["user"], c["password"], c["id"], c["db"])
    # Test hook only: Fly's clusters speak TLS, the backend test server does not (as postgres.py's unmanaged URL).
    return u + "?sslmode=disable" if c.get("backend") else u


@command("mpg create", flags=dict(ORG_FLAG, **{
    "name": ("string", "n", None), "region": ("string", "r", None), "plan": ("string", None, None),
    "volume-size": ("int", None, 10), "enable-postgis-support": ("bool", None, False),
    "pg-major-version": ("int", None, 16), "v2": ("bool", None, True),
}))
def mpg_create(ctx):
    name = ctx.flag("name")
    if not name:
        cfg_app = st.app_name(ctx, required=False) if "app" in ctx.cmd.flags else None
        if not cfg_app:
            fail("name argument or flag must be specified when not running interactively")
        name = cfg_app + "-db"
    from . import apps
    org = apps.find_org(ctx, ctx.flag("org"))
    st.require_org_token(ctx, "create Managed Postgres clusters")
    major = ctx.flag("pg-major-version")
    if major not in (16, 17):
        fail("invalid Postgres major version: %d. Supported versions are 16 and 17" % major)
    plan = (ctx.flag("plan") or "").strip().lower()
    if plan not in PLANS:
        plan = "basic"  # create.go: not interactive, an unknown plan becomes basic
    region = ctx.flag("region")
    if not region:
        fail("region code must be specified when not running interactively")
    if region not in REGIONS:
        fail("region %s is not available for Managed Postgres. Available regions: [%s]" % (region, " ".join(REGIONS)))
    cid = "mpg" + st.next_id(ctx.state)
    # The names of the cluster's role and database are the server's; with a backend, unique per test run.
    safe = name.replace("-", "_").lower() + (ctx.state.get("backend_suffix", "") if ctx.state.get("mpg_backend") else "")
    c = {"id": cid, "name": name, "org": org["slug"], "region": region, "plan": plan, "disk": ctx.flag("volume-size"),
         "major": major, "status": "ready", "user": "u_" + safe, "password": pysecrets.token_hex(16), "db": safe}
    backend = ctx.state.get("mpg_backend")
    if backend:
        backend_exec(backend, "CREATE ROLE \"%s\" WITH LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD '%s'"
                     % (c["user"], c["password"]))
        backend_exec(backend, 'CREATE DATABASE "%s" OWNER "%s"' % (c["db"], c["user"]))
        b = urllib.parse.urlparse(backend)
        c["backend"] = "%s:%d" % (b.hostname, b.port or 5432)
    clusters(ctx.state)[cid] = c
    p = PLANS[plan]
    out("Selected Plan: %s" % p[0])
    out("  CPU: %s" % p[1])
    out("  Memory: %s" % p[2])
    out("  Price: $%d per month" % p[3])
    out("")
    out("Waiting for cluster %s (%s) to be ready..." % (name, cid))
    out("")
    out("Managed Postgres cluster created successfully!")
    out("  ID: %s" % cid)
    out("  Name: %s" % name)
    out("  Organization: %s" % org["slug"])
    out("  Region: %s" % region)
    out("  Plan: %s" % plan)
    out("  Disk: %dGB" % c["disk"])
    out("  PostGIS: %s" % ("true" if ctx.flag("enable-postgis-support") else "false"))
    out("  Connection string: %s" % uri(c))


@command("mpg list", aliases=("mpg ls",), flags=dict(ORG_FLAG, **JSON_FLAG, **{"deleted": ("bool", None, False)}))
def mpg_list(ctx):
    from . import apps
    org = apps.find_org(ctx, ctx.flag("org"))
    cs = [c for c in clusters(ctx.state).values() if c["org"] == org["slug"]]
    if not cs:
        # list.go prints this even with --json
        out("No managed postgres clusters found in organization %s" % org["slug"])
        return
    if ctx.json():
        go_json([{"id": c["id"], "name": c["name"], "region": c["region"], "status": c["status"], "plan": c["plan"],
                  "organization": go_org(c), "attached_apps": []} for c in cs])
        return
    for c in cs:
        out("%s\t%s\t%s\t%s\t%s\t%s" % (c["id"], c["name"], c["org"], c["region"], c["status"], c["plan"]))


def go_org(c):
    """fly-go types.go Organization (v0.9.6) has no json tags: render.JSON spells its fields as Go names them."""
    return {"ID": "org" + c["org"], "InternalNumericID": "", "Name": c["org"], "RemoteBuilderImage": "",
            "RemoteBuilderApp": None, "Slug": c["org"], "RawSlug": c["org"], "Type": "", "PaidPlan": False,
            "Billable": False, "Settings": None, "AllowedReplaySourceOrgSlugs": None,
            "AllowAllCrossNetworkReplays": False, "WireGuardPeer": None,
            "WireGuardPeers": {"Nodes": None, "Edges": None}, "DelegatedWireGuardTokens": {"Nodes": None, "Edges": None},
            "LoggedCertificates": None}


@command("mpg status", args=(0, 1), flags=dict(JSON_FLAG))
def mpg_status(ctx):
    # status.go: an ID skips the org and cluster prompts (mpg.go ClusterFromArgOrSelect); without one it prompts.
    if not ctx.args:
        fail("(double: status needs a cluster ID when not running interactively)")
    rec = ctx.token or {}
    c = clusters(ctx.state).get(ctx.args[0])
    if c is None or (rec.get("scope") == "app" and st_app_org(ctx, rec) != c["org"]):
        # mpg.go: any GetClusterById failure (404, or a token that cannot read it) ends in this one error.
        fail('managed postgres cluster "%s" not found' % ctx.args[0])
    data = {"id": c["id"], "name": c["name"], "status": c["status"], "engine": "postgres", "plan": c["plan"],
            "region": c["region"], "organization": go_org(c), "mpgd_cluster_id": "mpgd-" + c["id"],
            "disk": c["disk"], "replicas": 0, "ip_assignments": {"direct": "fdaa:0:1::%s" % c["id"][-4:]},
            "attached_apps": []}
    # v2/client.go GetClusterCredentialsResponse: PgBouncer's URI, which holds the user, password and database.
    cred = {"status": c["status"], "user": c["user"], "password": c["password"], "dbname": c["db"],
            "pgbouncer_uri": uri(c)}
    if ctx.json():
        go_json({"data": data, "credentials": cred})  # v2/run_status.go: render.JSON of the whole response
        return
    out("Cluster Status")
    for k, v in (("ID", c["id"]), ("Name", c["name"]), ("Organization", c["org"]), ("Region", c["region"]),
                 ("Status", c["status"]), ("Allocated Disk (GB)", c["disk"]), ("Replicas", 0),
                 ("Direct IP", data["ip_assignments"]["direct"])):
        out("  %s = %s" % (k, v))


def st_app_org(ctx, rec):
    app = ctx.state.get("apps", {}).get(rec.get("app") or "")
    return (app or {}).get("org", "personal")


@command("mpg attach", args=(0, 1), flags=dict(APP_FLAGS, **{
    "variable-name": ("string", None, "DATABASE_URL"), "database": ("string", "d", None),
    "username": ("string", "u", None),
}))
def mpg_attach(ctx):
    app = ctx.app()
    if not ctx.args:
        fail("(double: attach needs a cluster ID when not running interactively)")
    c = find(ctx, ctx.args[0])
    if c["org"] != app.get("org", "personal"):
        fail("app %s is in organization %s, but cluster %s is in organization %s. They must be in the same organization "
             "to attach" % (app["name"], app.get("org", "personal"), c["id"], c["org"]))
    var = ctx.flag("variable-name") or "DATABASE_URL"
    secrets = app.setdefault("secrets", {})
    if var in secrets:
        fail("app %s already has %s set. Use 'fly secrets unset %s' to remove it first" % (app["name"], var, var))
    url = uri(c)
    from .postgres import digest
    # appsecrets.Update: stored on the app, no machine restarted
    secrets[var] = {"value": url, "digest": digest(url), "status": "Staged"}
    out("")
    out("Postgres cluster %s is being attached to %s" % (c["id"], app["name"]))
    out("The following secret was added to %s:" % app["name"])
    out("  %s=%s" % (var, url))


@command("mpg databases extensions enable", args=(1, 1), flags={
    "cluster": ("string", "c", None), "database": ("string", "d", None), "schema": ("string", None, None),
    "create-schema": ("bool", None, False)})
def mpg_extension_enable(ctx):
    c = find(ctx, ctx.flag("cluster"))
    db = ctx.flag("database") or c["db"]
    name = ctx.args[0]
    backend = ctx.state.get("mpg_backend")
    if backend:
        b = urllib.parse.urlparse(backend)
        backend_exec(urllib.parse.urlunparse(b._replace(path="/" + db)), 'CREATE EXTENSION IF NOT EXISTS "%s"' % name)
    c.setdefault("extensions", []).append(name)
    out("Extension %s enabled on database %s." % (name, db))


@command("mpg proxy", args=(0, 1), lock=False, flags={
    "bind-addr": ("string", "b", "127.0.0.1"), "local-port": ("string", "p", "16380")})
def mpg_proxy(ctx):
    # proxy.go / v2/run_proxy.go: the direct address, port 5432; no --watch-stdin.
    c = find(ctx, ctx.args[0] if ctx.args else None)
    target = c.get("backend")
    if not target:
        fail("(double: cluster %s has no backend to proxy to)" % c["id"])
    proxymod.forward(ctx.flag("bind-addr"), ctx.flag("local-port"), "[fdaa:0:1::%s]:5432" % c["id"][-4:], target, {},
                     False)
