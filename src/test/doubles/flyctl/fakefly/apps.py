"""fly apps create | list | destroy (internal/command/apps/*.go). App records live in state["apps"][name];
other modules add their own keys to the same record (releases, machines, secrets...)."""
import datetime

from . import cli
from . import state as st
from .cli import command, fail, out, progress, go_json, JSON_FLAG

ORG_FLAG = {"org": ("string", "o", None)}


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_app(state, name, org_slug):
    """The record every module shares; deploy.py fills releases and machines."""
    return {
        "name": name,
        "id": name,
        "org": org_slug,
        "status": "pending",
        "deployed": False,
        "hostname": name + ".fly.dev",
        "created_at": now(),
        "releases": [],
        "machines": [],
    }


def find_org(ctx, slug):
    orgs = ctx.state.get("orgs") or []
    if slug:
        for o in orgs:
            if o["slug"] == slug:
                return o
        fail("organization %s not found" % slug)
    personal = [o for o in orgs if o.get("type") == "PERSONAL"]
    if len(orgs) == 1 and personal:
        progress("automatically selected personal organization: %s" % personal[0]["name"])
        return personal[0]
    fail("org slug must be specified when not running interactively")


def org_json(o):
    return {"ID": "org_" + o["slug"], "InternalNumericID": "1", "Name": o["name"], "Slug": o["slug"],
            "RawSlug": o["slug"], "PaidPlan": False}


@command("apps create", args=(0, 1), aliases=("apps new",), flags=dict(JSON_FLAG, **ORG_FLAG, **{
    "name": ("string", None, None),
    "generate-name": ("bool", None, False),
    "network": ("string", None, None),
    "machines": ("bool", None, False),
    "yes": ("bool", "y", False),
    "save": ("bool", None, False),
}))
def apps_create(ctx):
    arg = ctx.args[0] if ctx.args else None
    flag_name = ctx.flag("name")
    if arg and flag_name and arg != flag_name:
        fail("two app names specified %s and %s. Select and specify only one" % (arg, flag_name))
    name = arg or flag_name
    if ctx.flag("generate-name"):
        name = "app-" + st.next_id(ctx.state)
    if not name:
        fail("name argument or flag must be specified when not running interactively")
    # Deploy tokens are scoped to one app: they can never create another one.
    st.require_org_token(ctx, "create apps")
    org = find_org(ctx, ctx.flag("org"))
    # internal/command/apps/create.go over the Machines API (fly-go flaps_apps.go CreateApp): the error is the
    # server's text (neutral here) and, for status name_taken, fly-go's fixed suggestion follows it
    # (flaps/flaps_error.go). state["taken_names"]: names held by apps the token cannot see.
    if name in ctx.state["apps"] or name in (ctx.state.get("taken_names") or []):
        fail("(double: the Machines API refused this app name)", suggestion=cli.NAME_TAKEN_SUGGESTION)
    app = new_app(ctx.state, name, org["slug"])
    if ctx.flag("network"):
        app["network"] = ctx.flag("network")
    ctx.state["apps"][name] = app
    if ctx.json():
        go_json({"ID": name, "Name": name, "Status": "pending", "Deployed": False, "Hostname": app["hostname"],
                 "AppURL": "https://" + app["hostname"], "Organization": org_json(org), "PlatformVersion": "machines"})
    else:
        out("New app created: %s" % name)


@command("apps list", aliases=("apps ls",), flags=dict(JSON_FLAG, **ORG_FLAG, **{"quiet": ("bool", "q", False)}))
def apps_list(ctx):
    st.require_org_token(ctx, "list apps")
    apps = [a for a in ctx.state["apps"].values() if not ctx.flag("org") or a.get("org") == ctx.flag("org")]
    apps.sort(key=lambda a: a["name"])
    if ctx.json():
        go_json([{"ID": a["name"], "Name": a["name"], "Status": a.get("status", "pending"),
                  "Deployed": bool(a.get("deployed")), "Hostname": a.get("hostname", a["name"] + ".fly.dev"),
                  "Organization": {"Slug": a.get("org", "personal"), "Name": a.get("org", "personal")},
                  "CurrentRelease": None} for a in apps])
        return
    if ctx.flag("quiet"):
        for a in apps:
            out(a["name"])
        return
    out("NAME\tOWNER\tSTATUS\tLATEST DEPLOY")
    for a in apps:
        out("%s\t%s\t%s\t" % (a["name"], a.get("org", "personal"), a.get("status", "pending")))


@command("apps destroy", args=(0, None), aliases=("apps delete", "apps remove", "apps rm"),
         flags={"yes": ("bool", "y", False)})
def apps_destroy(ctx):
    if not ctx.args:
        fail("requires at least 1 arg(s), only received 0")
    if not ctx.flag("yes"):
        # apps/destroy.go: prompt.NonInteractiveError("yes flag must be specified when not running interactively")
        fail("yes flag must be specified when not running interactively")
    for name in ctx.args:
        if name not in ctx.state["apps"]:
            fail("Could not find App \"%s\"" % name)
        st.check_app_access(ctx, name)
        from .machines import kill_machines
        kill_machines(ctx.state["apps"][name])
        del ctx.state["apps"][name]
        out("Destroyed app %s" % name)
