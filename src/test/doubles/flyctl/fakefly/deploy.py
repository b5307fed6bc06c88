"""fly deploy, fly releases (alias of fly apps releases) and fly status, as in
internal/command/deploy/*.go, internal/command/apps/releases.go and internal/command/status/*.go.

A deploy creates a release (Version = previous + 1) that ends `complete` or `failed`, updates or creates the
app's machines, and prints flyctl's lines on flyctl's streams. Faults (state["faults"]["deploy"] = {"mode": M}):
  release-command-fails  the release command exits non-zero ("exit_code", default 1); no machine is updated
  release-command-timeout
  health-checks-timeout  machines get the new image but their checks stay critical; the release fails
  exit0-no-release       flyctl prints a normal-looking deploy and exits 0, but no release is made
  exit1-good-release     the deploy completes, then flyctl exits 1 with "error" (a late, unrelated failure)
  image-not-found        the image (--image or the built one) cannot be found
  final-status-fails     machines are updated, then marking the release final fails: a WARN line, exit 0, and
                         the release stays `running` (machines_deploymachinesapp.go)
  build-fails            the image build fails ("error" for the text after flyctl's prefix); nothing is pushed
A --build-only call takes only the build faults (build-fails, image-not-found) and leaves the others for the
deploy that follows.

--build-only (flyctl ad0172f, internal/command/deploy/deploy.go DeployWithConfig) returns right after the image is
determined: no release, no "Watch your deployment" line, no FLY_EMIT_RELEASE_JSON line. The image is published only
with --push or without --build-only (deploy_build.go: Publish = push || !build-only), so an image built with
--build-only alone cannot be deployed later with --image. `image: TAG` and `image size: …` go to stderr (render.go
NewTextBlock writes to ErrOut).

Simulated time: a build adds state["build_seconds"] (default 0) to state["clock"], so a test can make a build
"slow" without sleeping and read the double's clock as its own (no timing assertions on real time).
"""
import datetime
import os
import random
import re

from . import state as st
from .cli import command, fail, out, progress, go_json, err, JSON_FLAG, APP_FLAGS

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BUILD_FAULTS = ("build-fails", "image-not-found")
SENSITIVE = ("KEY", "PRIVATE", "DATABASE_URL", "PASSWORD", "SECRET")


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ulid():
    return "".join(random.choice(CROCKFORD) for _ in range(26))


DEPLOY_FLAGS = dict(APP_FLAGS)
DEPLOY_FLAGS.update({
    "image": ("string", "i", None),
    "image-label": ("string", None, None),
    "now": ("bool", None, False),
    "remote-only": ("bool", None, False),
    "local-only": ("bool", None, False),
    "push": ("bool", None, False),
    "wg": ("bool", None, True),
    "https-failover": ("bool", None, True),
    "detach": ("bool", None, False),
    "strategy": ("string", None, None),
    "dockerfile": ("string", None, None),
    "ignorefile": ("string", None, None),
    "build-arg": ("stringArray", None, None),
    "build-secret": ("stringArray", None, None),
    "build-target": ("string", None, None),
    "build-context-warn-size": ("string", None, None),
    "no-cache": ("bool", None, False),
    "depot": ("string", None, "auto"),
    "depot-scope": ("string", None, None),
    "nixpacks": ("bool", None, False),
    "buildkit-addr": ("string", None, None),
    "buildkit-image": ("string", None, None),
    "buildkit": ("bool", None, False),
    "build-only": ("bool", None, False),
    "bp-docker-host": ("string", None, None),
    "bp-volume": ("stringSlice", None, None),
    "recreate-builder": ("bool", None, False),
    "builder-pool": ("bool", None, False),
    "yes": ("bool", "y", False),
    "auto-confirm": ("bool", None, False),
    "env": ("stringArray", "e", None),
    "wait-timeout": ("string", None, "5m0s"),
    "release-command-timeout": ("string", None, "5m0s"),
    "lease-timeout": ("string", None, "13s"),
    "force-machines": ("bool", None, False),
    "ha": ("bool", None, True),
    "smoke-checks": ("bool", None, True),
    "dns-checks": ("bool", None, True),
    "max-unavailable": ("string", None, "0.33"),
    "no-public-ips": ("bool", None, False),
    "flycast": ("bool", None, False),
    "file-local": ("stringArray", None, None),
    "file-literal": ("stringArray", None, None),
    "file-secret": ("stringArray", None, None),
    "primary-region": ("string", None, None),
    "regions": ("stringSlice", None, None),
    "only-regions": ("stringSlice", None, None),
    "exclude-regions": ("stringSlice", None, None),
    "only-machines": ("stringSlice", None, None),
    "exclude-machines": ("stringSlice", None, None),
    "process-groups": ("stringSlice", None, None),
    "label": ("stringArray", None, None),
    "max-concurrent": ("int", None, 8),
    "immediate-max-concurrent": ("int", None, 16),
    "volume-initial-size": ("int", None, 0),
    "signal": ("string", "s", None),
    "deploy-retries": ("string", None, "auto"),
    "update-only": ("bool", None, False),
    "skip-release-command": ("bool", None, False),
    "vm-size": ("string", None, None),
    "vm-memory": ("string", None, None),
    "vm-cpus": ("int", None, 0),
    "vm-cpu-kind": ("string", None, None),
    "vm-gpu-kind": ("string", None, None),
    "vm-gpus": ("int", None, 0),
    "compression": ("string", None, None),
    "compression-level": ("int", None, 0),
    "export-manifest": ("string", None, None),
    "from-manifest": ("string", None, None),
})

GO_DURATION = re.compile(r"^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$")


def parse_duration(ctx, name):
    """parseDurationFlag in deploy.go: Go duration, plain integer seconds, or `none`."""
    v = ctx.flag(name)
    if v is None or v == DEPLOY_FLAGS[name][2]:
        return
    if v == "none" or v == "0" or GO_DURATION.match(v):
        return
    if re.match(r"^[-+]?\d+$", v):
        return
    fail("invalid duration value %s used for --%s flag: valid options are a number of seconds, number with time "
         "unit (i.e.: 5m, 180s) or 'none'" % (v, name))


def parse_kv(values):
    """cmdutil.ParseKVStringsToMap."""
    result = {}
    for a in values or []:
        if "=" not in a:
            fail("'%s': must be in the format NAME=VALUE" % a)
        k, v = a.split("=", 1)
        result[k] = v
    return result


def image_known(ctx, app, ref):
    if (ctx.state.get("faults", {}).get("deploy") or {}).get("mode") == "image-not-found":
        return False
    if ref in ctx.state.get("images", []):
        return True
    if any(r.get("ImageRef") == ref for r in app.get("releases", [])):
        return True
    # Public registries are outside the double's world: anything not on Fly's registry is taken to exist.
    return not ref.startswith("registry.fly.io/")


def image_ref_object(ref):
    registry, _, rest = ref.partition("/")
    repo, _, tag = rest.rpartition(":") if ":" in rest else (rest, "", "latest")
    return {"registry": registry, "repository": repo, "tag": tag,
            "digest": "sha256:" + format(abs(hash(ref)) % (16 ** 16), "016x") * 4, "labels": {}}


def release_json(r):
    """fly-go types.go Release (PascalCase, no JSON tags). resource_releases.go's query fetches only id, version,
    description, reason, status, imageRef, stable, user and createdAt, so Metadata is always null, InProgress false
    and DeploymentStrategy empty in `releases --json`, whatever the state holds."""
    j = {k: r.get(k) for k in ("ID", "Version", "Stable", "InProgress", "Reason", "Description", "Status",
                               "DeploymentStrategy", "Metadata", "User", "EvaluationID", "CreatedAt", "ImageRef")}
    j["Metadata"] = None
    j["InProgress"] = False
    j["DeploymentStrategy"] = ""
    return j


def service_checks(cfg):
    checks = []
    svc = cfg.get("http_service") or {}
    for i, c in enumerate(svc.get("checks") or []):
        checks.append("servicecheck-%02d-%s-%s" % (i, c.get("type", "http"), svc.get("internal_port", 8080)))
    for name in (cfg.get("checks") or {}):
        checks.append(name)
    return checks


def fail_release(release, message):
    release["Status"] = "failed"
    release["InProgress"] = False
    release["Metadata"] = {"post_deployment_info": {"flyctl_version": "0.4.87", "error": message}}


@command("deploy", args=(0, 1), flags=DEPLOY_FLAGS)
def deploy(ctx):
    if ctx.args:
        try:
            os.chdir(ctx.args[0])
        except OSError as e:
            fail("failed changing working directory: chdir %s: %s" % (ctx.args[0], e.strerror.lower()))
    cfg = st.load_config(ctx)
    name = ctx.app_name()
    app = ctx.state["apps"].get(name)
    if app is None:
        if cfg is not None:
            fail("Could not find App \"%s\"" % name)
        fail("the app name %s could not be found, did you create the app or misspell it in the fly.toml file or "
             "via -a?" % name)
    st.check_app_access(ctx, name)
    cfg = cfg or app.get("config") or {}
    for flag in ("wait-timeout", "release-command-timeout", "lease-timeout"):
        parse_duration(ctx, flag)
    build_args = parse_kv(ctx.flag("build-arg"))
    build_secrets = parse_kv(ctx.flag("build-secret"))
    env = dict(cfg.get("env") or {})
    env.update(parse_kv(ctx.flag("env")))
    try:
        if float(ctx.flag("max-unavailable")) <= 0:
            fail("the value for --max-unavailable must be > 0")
    except ValueError:
        fail('invalid argument "%s" for "--max-unavailable" flag: strconv.ParseFloat: parsing "%s": invalid syntax'
             % (ctx.flag("max-unavailable"), ctx.flag("max-unavailable")))
    pending = (ctx.state.get("faults", {}).get("deploy") or {}).get("mode")
    fault = {}
    if not ctx.flag("build-only") or pending in BUILD_FAULTS:
        fault = st.take_fault(ctx) or {}
    mode = fault.get("mode")

    progress("==> Verifying app config")
    progress("Validating %s" % os.path.abspath(ctx.flag("config") or "fly.toml"))
    progress("✓ Configuration is valid")
    progress("--> Verified app config")
    for k in sorted(env):
        if any(s in k for s in SENSITIVE) and k not in ("AWS_ACCESS_KEY_ID", "TIGRIS_ACCESS_KEY_ID"):
            progress("WARN %s may be a potentially sensitive environment variable. Consider setting it as a secret, "
                     "and removing it from the [env] section: https://fly.io/docs/apps/secrets/" % k)

    image = ctx.flag("image") or (cfg.get("build") or {}).get("image")
    if image:
        progress("==> Building image")
        progress("Searching for image '%s' remotely..." % image)
        if not image_known(ctx, app, image):
            fail('failed to fetch an image or build from source: could not find image "%s"' % image)
        progress("image found: img_%s" % format(abs(hash(image)) % (16 ** 12), "012x"))
    else:
        dockerfile = (cfg.get("build") or {}).get("dockerfile") or ctx.flag("dockerfile") or "Dockerfile"
        if not os.path.isfile(dockerfile):
            fail("failed to fetch an image or build from source: app does not have a Dockerfile or buildpacks "
                 "configured. See https://fly.io/docs/reference/configuration/#the-build-section")
        progress("==> Building image")
        progress("Waiting for depot builder...")
        for k in sorted(build_args):
            progress("#1 [internal] build-arg %s" % k)
        for k in sorted(build_secrets):
            progress("#2 [internal] secret mount %s" % k)
        ctx.state["clock"] = ctx.state.get("clock", 0) + ctx.state.get("build_seconds", 0)
        if mode == "build-fails":
            fail("failed to fetch an image or build from source: " + fault.get(
                "error", 'error building: failed to solve: process "/bin/sh -c mix release" did not complete '
                         'successfully: exit code: 1'))
        progress("#9 DONE 0.1s")
        label = ctx.flag("image-label") or "deployment-" + ulid()
        image = "registry.fly.io/%s:%s" % (name, label)
        if mode == "image-not-found":
            fail('failed to fetch an image or build from source: could not find image "%s"' % image)
        if ctx.flag("push") or not ctx.flag("build-only"):
            ctx.state.setdefault("images", []).append(image)
        progress("image: %s" % image)
        progress("image size: 48 MB")
    if ctx.flag("build-only"):
        return 0

    out("")
    out("Watch your deployment at https://fly.io/apps/%s/monitoring" % name)
    out("")

    releases = app.setdefault("releases", [])
    version = max([r["Version"] for r in releases] or [0]) + 1
    strategy = ctx.flag("strategy") or (cfg.get("deploy") or {}).get("strategy") or "rolling"
    if strategy not in ("canary", "rolling", "bluegreen", "immediate"):
        strategy = "rolling"  # flyctl does not validate it
    if mode == "exit0-no-release":
        out("Updating existing machines in '%s' with %s strategy" % (name, strategy))
        out("")
        out("Visit your newly deployed app at https://%s/" % app["hostname"])
        out("")
        return 0
    release = {"ID": "rel_" + st.next_id(ctx.state), "Version": version, "Stable": False, "InProgress": True,
               "Reason": "deploy", "Description": "Deploy image", "Status": "running",
               "DeploymentStrategy": strategy.upper(), "Metadata": None,
               "User": {"ID": "usr_1", "Name": "Test User", "Email": "user@example.com", "EnablePaidHobby": False},
               "EvaluationID": "", "CreatedAt": now(), "ImageRef": image}
    releases.append(release)
    app["config"] = cfg

    rc = None if ctx.flag("skip-release-command") else (cfg.get("deploy") or {}).get("release_command")
    if rc:
        mid = st.next_id(ctx.state)
        progress("Running %s release_command: %s" % (name, rc))
        progress("Starting machine")
        if mode == "release-command-fails":
            code = int(fault.get("exit_code", 1))
            err("Error release_command failed running on machine %s with exit code %d." % (mid, code))
            err("Checking logs: fetching the last 100 lines below:")
            for line in fault.get("logs", ["** (Postgrex.Error) ERROR 42P01 (undefined_table) relation \"users\" does not exist"]):
                err("  " + line)
            msg = "release command failed - aborting deployment. machine %s exited with non-zero status of %d" % (mid, code)
            fail_release(release, msg)
            fail(msg)
        if mode == "release-command-timeout":
            msg = ("release command failed - aborting deployment. error waiting for release_command machine %s to "
                   "finish running: timeout reached waiting for machine's state to change" % mid)
            fail_release(release, msg)
            err("Error: " + msg)
            err("")
            err("You can try increasing the timeout with the --release-command-timeout flag")
            err("")
            raise_exit(1)
        out("✔ release_command %s completed successfully" % mid)

    machines = app.setdefault("machines", [])
    checks = service_checks(cfg)
    groups = list((cfg.get("processes") or {"app": ""}).keys())
    lines = []
    if not machines:
        for g in groups:
            out("No machines in group %s, launching a new machine" % g)
            count = 2 if ctx.flag("ha") and (cfg.get("http_service") or cfg.get("services")) else 1
            if count == 2:
                out("Creating a second machine for high availability and zero downtime deployments.")
            for _ in range(count):
                machines.append(new_machine(ctx, name, g, cfg))
    else:
        out("Updating existing machines in '%s' with %s strategy" % (name, strategy))
    for m in machines:
        m["instance_id"] = "01J" + ulid()[:23]
        m["version"] = m["instance_id"]
        m["image_ref"] = image_ref_object(image)
        m["config"]["image"] = image
        m["config"]["env"] = env
        m["config"]["metadata"]["fly_release_version"] = str(version)
        m["config"]["metadata"]["fly_release_id"] = release["ID"]
        m["updated_at"] = now()
        m["state"] = "started"
        status = "critical" if mode == "health-checks-timeout" else "passing"
        m["checks"] = [{"name": c, "status": status, "output": "Success" if status == "passing" else
                        "context deadline exceeded", "updated_at": now()} for c in checks]
    total = len(machines)
    if mode == "health-checks-timeout":
        m = machines[0]
        msg = ("timeout reached waiting for health checks to pass for machine %s: failed to get VM %s: "
               "Get \"https://api.machines.dev/v1/apps/%s/machines/%s\": net/http: request canceled"
               % (m["id"], m["id"], name, m["id"]))
        out("✖ %sMachine %s [%s] update failed: %s" % ("[1/%d] " % total if total > 1 else "", m["id"],
                                                       m["config"]["metadata"]["fly_process_group"], msg))
        fail_release(release, msg)
        fail(msg)
    for i, m in enumerate(machines):
        prefix = "[%d/%d] " % (i + 1, total) if total > 1 else ""
        lines.append("✔ %sMachine %s [%s] update succeeded" % (prefix, m["id"], m["config"]["metadata"]["fly_process_group"]))
    for line in lines:
        out(line)
    if mode == "final-status-fails":
        # machines_deploymachinesapp.go: the deploy succeeded but updating the release failed; terminal.Warnf
        # (stdout, "WARN " prefix), the release stays `running`, and flyctl goes on to emit the release and exit 0.
        out("WARN failed to set final release status after successful deployment: (double: the API did not answer)")
        out("")
        app["deployed"] = True
        app["status"] = "deployed"
        if os.environ.get("FLY_EMIT_RELEASE_JSON"):
            import json
            out(json.dumps({"id": release["ID"], "version": version, "image_ref": image}, separators=(",", ":")))
        return 0
    release["Status"] = "complete"
    release["InProgress"] = False
    release["Stable"] = True
    release["Metadata"] = {"post_deployment_info": {"flyctl_version": "0.4.87"}}
    app["deployed"] = True
    app["status"] = "deployed"
    out("")
    out("Visit your newly deployed app at https://%s/" % app["hostname"])
    out("")
    if os.environ.get("FLY_EMIT_RELEASE_JSON"):
        import json
        out(json.dumps({"id": release["ID"], "version": version, "image_ref": image}, separators=(",", ":")))
    if mode == "exit1-good-release":
        fail(fault.get("error", "failed to update machine status: unexpected EOF"))
    return 0


def raise_exit(code):
    from .cli import Exit
    raise Exit(code)


def new_machine(ctx, app_name, group, cfg):
    mid = st.next_id(ctx.state)
    return {
        "id": mid,
        "name": "%s-%s" % (group, mid[-6:]),
        "state": "started",
        "region": cfg.get("primary_region") or "ams",
        "image_ref": {},
        "instance_id": "01J" + ulid()[:23],
        "version": "",
        "private_ip": "fdaa:0:1:a7b:1::%s" % mid[-4:],
        "created_at": now(),
        "updated_at": now(),
        "config": {
            "image": "",
            "env": {},
            "metadata": {"fly_release_version": "0", "fly_release_id": "", "fly_process_group": group,
                         "fly_platform_version": "v2", "fly_flyctl_version": "0.4.87"},
            "services": [],
            "checks": {},
            "guest": {"cpu_kind": "shared", "cpus": 1, "memory_mb": 256},
            "restart": {"policy": "on-failure"},
        },
        "events": [],
        "checks": [],
        "host_status": "ok",
        "cordoned": False,
    }


@command("apps releases", aliases=("releases",), flags=dict(APP_FLAGS, **JSON_FLAG, **{"image": ("bool", None, False)}))
def releases(ctx):
    app = ctx.app()
    rels = sorted(app.get("releases", []), key=lambda r: r["Version"], reverse=True)[:25]
    if ctx.json():
        go_json([release_json(r) for r in rels])
        return
    header = "VERSION\tSTATUS\tDESCRIPTION\tUSER\tDATE" + ("\tDOCKER IMAGE" if ctx.flag("image") else "")
    out(header)
    for r in rels:
        row = "v%d\t%s\t%s\t%s\t%s" % (r["Version"], r["Status"], r["Description"], r["User"]["Email"], r["CreatedAt"])
        out(row + ("\t" + r["ImageRef"] if ctx.flag("image") else ""))


@command("status", flags=dict(APP_FLAGS, **JSON_FLAG, **{
    "all": ("bool", None, False),
    "deployment": ("bool", None, False),
    "watch": ("bool", None, False),
    "rate": ("int", None, 5),
}))
def status(ctx):
    if ctx.flag("watch") and ctx.json():
        fail("--watch and --json are not supported together")
    app = ctx.app()
    name = app["name"]
    rels = app.get("releases", [])
    current = max([r["Version"] for r in rels if r["Status"] == "complete"] or [0])
    org = next((o for o in ctx.state.get("orgs", []) if o["slug"] == app.get("org")),
               {"slug": app.get("org", "personal"), "name": app.get("org", "personal")})
    machines = [m for m in app.get("machines", []) if ctx.flag("all") or m["state"] != "destroyed"]
    if ctx.json():
        # internal/command/status/machines.go renderMachineJSONStatus: Network only when the app has a custom one.
        go_json(dict({
            "AppURL": "https://" + app["hostname"],
            "Deployed": bool(app.get("deployed")),
            "Hostname": app["hostname"],
            "ID": name,
            "Machines": machines,
            "Name": name,
            "Organization": {"ID": "org_" + org["slug"], "InternalNumericID": "1", "Name": org["name"],
                             "Slug": org["slug"], "RawSlug": org["slug"], "PaidPlan": False},
            "PlatformVersion": "machines",
            "Status": app.get("status", "pending"),
            "Version": current,
        }, **({"Network": app["network"]} if app.get("network") else {})))
        return
    out("App")
    out("  Name     = %s" % name)
    out("  Owner    = %s" % org["slug"])
    out("  Hostname = %s" % app["hostname"])
    out("  Platform = machines")
    out("")
    out("Machines")
    out("PROCESS\tID\tVERSION\tREGION\tSTATE\tCHECKS\tLAST UPDATED")
    for m in machines:
        passing = sum(1 for c in m.get("checks", []) if c["status"] == "passing")
        out("%s\t%s\t%s\t%s\t%s\t%s\t%s" % (m["config"]["metadata"]["fly_process_group"], m["id"],
                                            m["config"]["metadata"]["fly_release_version"],
                                            m["region"], m["state"], "%d total, %d passing" % (len(m.get("checks", [])), passing)
                                            if m.get("checks") else "", m["updated_at"]))
