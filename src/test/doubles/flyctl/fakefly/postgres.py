"""fly postgres (pg) create | attach (internal/command/postgres/{create,attach}.go, flypg/launcher.go).

A cluster is an app record (state["apps"][name]) with a "postgres" key holding its password, databases and
users. attach stages the consumer's secret as state["apps"][app]["secrets"][NAME] = {"value", "digest",
"status": "Staged"} (secrets.py's shape). Test hook: when state["postgres_backend"] is a superuser URL of a real PostgreSQL, attach also creates
the database and role there (with psql, password in PGPASSWORD) and prints a URL to that server instead of the
cluster's .flycast name, so a cutover can really transfer into the "new" cluster. state["backend_suffix"] (a test
hook too) is appended to the database and role names made on that server, so runs that share it never collide."""
import os
import secrets as pysecrets
import subprocess
import urllib.parse

from . import state as st
from .cli import command, fail, out, progress, APP_FLAGS

# (paraphrased; the real notice's wording differs) every `fly pg` command prints it to stderr first, as
# "\n%s\n" with a two-line notice ending in "\n" (internal/command/postgres/postgres.go PreRun): a blank line, the
# notice, a blank line.
NOTICE = ("Unmanaged Fly Postgres is not supported by Fly.io Support: consider Managed Postgres instead "
          "(fly mpg --help).",
          "See Fly's Managed Postgres documentation.")


def notice():
    progress("")
    for line in NOTICE:
        progress(line)
    progress("")


def new_app_record(state, name, org):
    try:
        from . import apps
        rec = apps.new_app(state, name, org)
    except (ImportError, AttributeError):
        rec = {"name": name, "id": name, "org": org, "hostname": name + ".fly.dev", "releases": [], "machines": []}
    rec["status"] = "deployed"
    rec["deployed"] = True
    return rec


CREATE_FLAGS = {
    "name": ("string", "n", None),
    "generate-name": ("bool", None, False),
    "org": ("string", "o", None),
    "region": ("string", "r", None),
    "password": ("string", "p", None),
    "initial-cluster-size": ("int", None, 0),
    "volume-size": ("int", None, 0),
    "vm-size": ("string", None, None),
    "vm-cpus": ("int", None, 0),
    "vm-cpu-kind": ("string", None, None),
    "vm-memory": ("string", None, None),
    "detach": ("bool", None, False),
    "enable-backups": ("bool", None, False),
    "snapshot-id": ("string", None, None),
    "fork-from": ("string", None, None),
    "image-ref": ("string", None, None),
    "stolon": ("bool", None, False),
    "flex": ("bool", None, True),
    "autostart": ("bool", None, False),
    "consul-url": ("string", None, None),
}


@command("postgres create", aliases=("pg create",), flags=CREATE_FLAGS)
def pg_create(ctx):
    notice()
    name = ctx.flag("name")
    if ctx.flag("generate-name"):
        name = "pg-" + st.next_id(ctx.state)
    # Without a terminal every prompt fails: each of these must come as a flag.
    if not name:
        fail("name argument or flag must be specified when not running interactively")
    if not ctx.flag("org"):
        fail("org slug must be specified when not running interactively")
    if not ctx.flag("region"):
        fail("region not specified and running non-interactively")  # (unverified wording)
    if not (ctx.flag("vm-size") and ctx.flag("initial-cluster-size") and ctx.flag("volume-size")):
        fail("prompt: non-interactive: select a configuration with --vm-size, --initial-cluster-size and "
             "--volume-size")  # (unverified wording)
    st.require_org_token(ctx, "create apps")
    if not any(o["slug"] == ctx.flag("org") for o in ctx.state.get("orgs", [])):
        fail("organization %s not found" % ctx.flag("org"))
    if name in ctx.state["apps"]:
        fail("Validation failed: Name has already been taken")
    password = ctx.flag("password") or pysecrets.token_hex(16)
    rec = new_app_record(ctx.state, name, ctx.flag("org"))
    rec["postgres"] = {"password": password, "region": ctx.flag("region"), "vm_size": ctx.flag("vm-size"),
                       "cluster_size": ctx.flag("initial-cluster-size"), "volume_size": ctx.flag("volume-size"),
                       "databases": ["postgres"], "users": ["postgres", "flypgadmin", "repluser"]}
    ctx.state["apps"][name] = rec
    progress("Creating postgres cluster in organization %s" % ctx.flag("org"))
    progress("Creating app...")
    progress("Setting secrets on app %s..." % name)
    for i in range(ctx.flag("initial-cluster-size")):
        progress("Provisioning %d of %d machines with image flyio/postgres-flex:16" % (i + 1, ctx.flag("initial-cluster-size")))
    progress("Waiting for machine to start...")
    out("Postgres cluster %s created" % name)
    out("  Username:    postgres")
    out("  Password:    %s" % password)
    out("  Hostname:    %s.internal" % name)
    out("  Flycast:     fdaa:0:1:a7b:0:1:%s:2" % st.next_id(ctx.state)[-4:])
    out("  Proxy port:  5432")
    out("  Postgres port:  5433")
    # flyctl's string carries an embedded newline, hence the extra blank line.
    out("  Connection string: postgres://postgres:%s@%s.flycast:5432\n" % (password, name))
    out("Save your credentials in a secure place -- you won't be able to see them again!")


def digest(value):
    """The secrets module's digest, so `secrets list` shows this secret like any other."""
    try:
        from . import secrets as secmod
        return secmod.digest(value)
    except (ImportError, AttributeError):
        import hashlib
        return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def backend_exec(url, sql):
    u = urllib.parse.urlparse(url)
    env = dict(os.environ, PGPASSWORD=urllib.parse.unquote(u.password or ""))
    args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", u.hostname, "-p", str(u.port or 5432),
            "-U", urllib.parse.unquote(u.username or "postgres"), "-d", u.path.lstrip("/") or "postgres", "-c", sql]
    r = subprocess.run(args, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        fail("failed executing command on postgres: %s" % r.stderr.strip())


@command("postgres attach", args=(1, 1), aliases=("pg attach",), flags=dict(APP_FLAGS, **{
    "database-name": ("string", None, None),
    "database-user": ("string", None, None),
    "variable-name": ("string", None, "DATABASE_URL"),
    "superuser": ("bool", None, True),
    "yes": ("bool", "y", False),
}))
def pg_attach(ctx):
    notice()
    pg_name = ctx.args[0]
    app = ctx.app()
    pg = ctx.state["apps"].get(pg_name)
    if pg is None:
        fail("Could not find App \"%s\"" % pg_name)
    if "postgres" not in pg:
        fail("app %s is not a postgres app" % pg_name)  # (unverified wording)
    var = ctx.flag("variable-name")
    secrets = app.setdefault("secrets", {})
    if var in secrets:
        fail('consumer app "%s" already contains a secret named %s' % (app["name"], var))
    suffix = ctx.state.get("backend_suffix", "") if ctx.state.get("postgres_backend") else ""
    db = (ctx.flag("database-name") or app["name"]).replace("-", "_").lower() + suffix
    user = (ctx.flag("database-user") or app["name"]).replace("-", "_").lower() + suffix
    info = pg["postgres"]
    if user in info["users"]:
        fail('database user "%s" already exists. Please specify a new database user via --database-user' % user)
    password = pysecrets.token_hex(16)
    out("Checking for existing attachments")
    out("Registering attachment")
    backend = ctx.state.get("postgres_backend")
    if db not in info["databases"]:
        out("Creating database")
        if backend:
            backend_exec(backend, 'CREATE DATABASE "%s"' % db)
        info["databases"].append(db)
    out("Creating user")
    if backend:
        backend_exec(backend, "CREATE ROLE \"%s\" WITH LOGIN %s PASSWORD '%s'"
                     % (user, "SUPERUSER" if ctx.flag("superuser") else "", password))
    info["users"].append(user)
    if backend:
        b = urllib.parse.urlparse(backend)
        host = "%s:%d" % (b.hostname, b.port or 5432)
        url = "postgres://%s:%s@%s/%s?sslmode=disable" % (user, password, host, db)
    else:
        url = "postgres://%s:%s@%s.flycast:5432/%s?sslmode=disable" % (user, password, pg_name, db)
    secrets[var] = {"value": url, "digest": digest(url), "status": "Staged"}
    out("")
    out("The following secret was added to %s:" % app["name"])
    out("  %s=%s" % (var, url))
