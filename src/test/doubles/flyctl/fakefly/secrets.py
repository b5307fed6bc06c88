"""fly secrets import | set | unset | list | deploy, as flyctl v0.4.87 does them (flyctl-heroku-facts.md A.1, A.2).

The import parser is modelled rule for rule, quirks included: a value is cut at `#` when the text before it has
an even number of `"`, quotes are stripped but never unescaped, `\"\"\"` starts a multi-line value (dropped
silently when EOF comes first), a line over 64 KiB silently ends the input (bufio.Scanner stops and the error is
not checked), and a value of exactly `"` or `'` panics (exit 3). What was parsed is stored in the state as
apps[APP].secrets[NAME] = {"value", "digest", "status"} so tests can compare it byte for byte; values are never
written to calls.jsonl."""
import hashlib
import sys

from . import cli
from . import state as st
from .cli import command, fail, out, progress, go_json, APP_FLAGS, JSON_FLAG

SHARED_FLAGS = dict(APP_FLAGS, **{
    "detach": ("bool", None, False),
    "stage": ("bool", None, False),
    "dns-checks": ("bool", None, True),
})

# bufio.Scanner's default MaxScanTokenSize: a line (without its "\n") must fit in 64 KiB - 1 with the newline.
MAX_LINE = 64 * 1024 - 1
# helpers.ReadStdin(64 * 1024) for `set NAME=-`.
MAX_STDIN = 64 * 1024
# Go's unicode.IsSpace, which strings.TrimSpace uses (Python's str.strip would also trim \x1c-\x1f).
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
           "\u2028\u2029\u202f\u205f\u3000"


class Panic(Exception):
    pass


class ParseError(Exception):
    pass


def go_trim_space(s):
    return s.strip(GO_SPACE)


def scan_lines(data):
    """bufio.ScanLines: split on \\n, drop one trailing \\r; stops (silently, as the parser never checks
    scanner.Err()) at the first line too long for the buffer."""
    pos = 0
    n = len(data)
    while pos < n:
        nl = data.find(b"\n", pos)
        end = n if nl < 0 else nl
        if end - pos > MAX_LINE:
            return
        line = data[pos:end]
        if line.endswith(b"\r"):
            line = line[:-1]
        yield line
        pos = n if nl < 0 else nl + 1


def parse_import(data):
    """flyctl's parseSecrets (internal/command/secrets/parser.go) on raw stdin bytes -> {name: value} (bytes)."""
    secrets = {}
    multiline = False
    key = b""
    buf = b""
    for line in scan_lines(data):
        if multiline:
            if line.endswith(b'"""'):
                buf += line[:-3]
                secrets[key] = buf
                multiline, key, buf = False, b"", b""
            else:
                buf += line + b"\n"
            continue
        if line.startswith(b"#") or go_trim_space(line.decode("utf-8", "replace")) == "":
            continue
        if b"=" not in line:
            raise ParseError("Secrets must be provided as NAME=VALUE pairs (%s is invalid)" % line.decode("utf-8", "replace"))
        k, value = line.split(b"=", 1)
        k = go_trim_space(k.decode("utf-8", "replace")).encode("utf-8")
        value = value.lstrip(b" ")
        if b"#" in value:
            before = value.split(b"#", 1)[0]
            if before.count(b'"') % 2 == 0:
                value = before.rstrip(b" ")
        if value.startswith(b'"""') and value.endswith(b'"""') and len(value) >= 6:
            secrets[k] = value[3:-3]
        elif value.startswith(b'"""'):
            multiline, key, buf = True, k, value[3:] + b"\n"
        else:
            for q in (b'"', b"'"):
                if value.startswith(q) and value.endswith(q):
                    if len(value) == 1:
                        raise Panic("runtime error: slice bounds out of range [1:0]")
                    value = value[1:-1]
                    break
            secrets[k] = value
    return secrets


def panic(msg):
    """A recovered panic in a release build: the report goes to stdout, exit 3."""
    out("Oops, something went wrong! Could you try that again?")
    out("")
    out("panic: " + msg)
    out("")
    out("goroutine 1 [running]:")
    out("github.com/superfly/flyctl/internal/command/secrets.parseSecrets({0x2c1e0a0, 0xc000126000})")
    out("\t/home/runner/work/flyctl/flyctl/internal/command/secrets/parser.go:58 +0x4d8")
    raise cli.Exit(3)


def digest(value):
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def app_record(ctx):
    return ctx.app()


def store(app, values):
    secrets = app.setdefault("secrets", {})
    for name, value in values.items():
        if value is None:
            secrets.pop(name, None)
        else:
            secrets[name] = {"value": value, "digest": digest(value), "status": "Staged"}


def has_machines(app):
    m = app.get("machines")
    return bool(m)


def restart_deploy(ctx, app):
    """flyctl's restart-only deployment with the currently deployed config."""
    name = ctx.app_name()
    out("Updating existing machines in '%s' with rolling strategy" % name)
    machines = app.get("machines") or []
    ids = list(machines.keys()) if isinstance(machines, dict) else [
        (m.get("id") if isinstance(m, dict) else str(m)) for m in machines]
    for i, mid in enumerate(ids, 1):
        out("\u2714 [%d/%d] Machine %s updated" % (i, len(ids), mid))
    for s in app.get("secrets", {}).values():
        s["status"] = "Deployed"
    if ctx.flag("dns-checks") and not ctx.flag("detach"):
        out("\u2714 DNS configuration verified")


def deploy_secrets(ctx, app):
    """appsecrets.DeploySecrets after a change."""
    if ctx.flag("stage"):
        out("Secrets have been staged, but not set on VMs. Deploy or update machines in this app for the secrets to take effect.")
        return
    if not app.get("deployed") and not has_machines(app):
        out("Secrets are staged for the first deployment")
        return
    restart_deploy(ctx, app)


def decode(b):
    return b.decode("utf-8", "surrogateescape")


def store_and_deploy(ctx, app, values, fault):
    """internal/command/secrets/set.go SetSecretsAndDeploy: appsecrets.Update first (an error is wrapped
    `update secrets: `, and nothing is stored), then DeploySecrets (an error there leaves the values stored).
    Faults: {"mode": "update-fails"} and {"mode": "restart-fails"}; their server-side texts are neutral."""
    if fault and fault.get("mode") == "update-fails":
        fail("update secrets: failed to update app secrets: (double: the Machines API refused the update)")
    store(app, values)
    if fault and fault.get("mode") == "restart-fails" and not ctx.flag("stage"):
        fail("(double: a machine did not restart with the new secrets)")
    deploy_secrets(ctx, app)


@command("secrets import", flags=SHARED_FLAGS, args=(0, 0))
def secrets_import(ctx):
    app = app_record(ctx)
    data = ctx.read_stdin()
    fault = st.take_fault(ctx)
    if fault and fault.get("mode") == "echo-first-line":
        # What flyctl does with a line it cannot parse: quote it whole in the error (values included).
        first = data.split(b"\n", 1)[0].decode("utf-8", "replace")
        fail("Failed to parse secrets from stdin: Secrets must be provided as NAME=VALUE pairs (%s is invalid)" % first)
    try:
        parsed = parse_import(data)
    except ParseError as e:
        fail("Failed to parse secrets from stdin: %s" % e)
    except Panic as e:
        panic(str(e))
    if not parsed:
        fail("requires at least one SECRET=VALUE pair")
    store_and_deploy(ctx, app, {decode(k): decode(v) for k, v in parsed.items()}, fault)


@command("secrets set", flags=SHARED_FLAGS, args=(1, None))
def secrets_set(ctx):
    app = app_record(ctx)
    values = {}
    stdin_used = False
    for arg in ctx.args:
        if "=" not in arg:
            fail("could not parse secrets: '%s': must be in the format NAME=VALUE" % arg)
        name, value = arg.split("=", 1)
        if value == "-":
            if sys.stdin is None or sys.stdin.isatty():
                fail("secret `%s` expects standard input but none provided" % name)
            raw = b"" if stdin_used else ctx.read_stdin()
            stdin_used = True
            if len(raw) > MAX_STDIN:
                fail("Input exceeded max length of %d bytes" % MAX_STDIN)
            value = raw.decode("utf-8", "replace").strip(GO_SPACE)
        values[name] = value
    store_and_deploy(ctx, app, values, st.take_fault(ctx))


@command("secrets unset", flags=SHARED_FLAGS, args=(1, None))
def secrets_unset(ctx):
    app = app_record(ctx)
    store(app, {name: None for name in ctx.args})
    deploy_secrets(ctx, app)


@command("secrets list", flags=dict(APP_FLAGS, **JSON_FLAG), args=(0, 0), aliases=("secrets ls",))
def secrets_list(ctx):
    # internal/appsecrets/secrets.go List over the Machines API (fly-go flaps_secrets.go ListAppSecrets).
    app = ctx.app_flaps("failed to list app secrets")
    secrets = app.get("secrets", {})
    rows = [{"name": n, "digest": s["digest"], "status": s.get("status", "Deployed")} for n, s in sorted(secrets.items())]
    if ctx.json():
        go_json(rows)
        return
    out("NAME\tDIGEST\tSTATUS")
    for r in rows:
        prefix = "* " if r["status"] == "Staged" else ("! " if r["status"] == "Partial" else "")
        out("%s%s\t%s\t%s" % (prefix, r["name"], r["digest"], r["status"]))
    staged = sum(1 for r in rows if r["status"] != "Deployed")
    if staged:
        out("")
        out("There %s %d secret%s not deployed. Deploy with `fly secrets deploy` to make them available."
            % ("is" if staged == 1 else "are", staged, "" if staged == 1 else "s"))


@command("secrets deploy", flags=dict(APP_FLAGS, **{"detach": ("bool", None, False), "dns-checks": ("bool", None, True)}),
         args=(0, 0))
def secrets_deploy(ctx):
    app = app_record(ctx)
    if not app.get("deployed") or not has_machines(app):
        cli.err("Error: no machines available to deploy")
        cli.err("'fly secrets deploy' will only work if the app has been deployed and there are machines available")
        cli.err("Try 'fly deploy' first")
        raise cli.Exit(1)
    progress("==> Deploying staged secrets")
    restart_deploy(ctx, app)
