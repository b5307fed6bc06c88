"""The double's world: apps, tokens, organizations and injected faults, kept as JSON in
$FLY_DOUBLE_STATE/state.json (tests write it before a run and read it after; the FLY_ prefix is what lets it
through flyover's allow-listed flyctl environment, fly/FlyEnv.java; FLYCTL_DOUBLE_STATE is the older name). Every call is also
appended to calls.jsonl so tests can check what flyover ran (argv only: values must never be there)."""
import contextlib
import datetime
import fcntl
import json
import os
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

from . import cli


def state_dir():
    d = os.environ.get("FLY_DOUBLE_STATE") or os.environ.get("FLYCTL_DOUBLE_STATE")
    if not d:
        sys.stderr.write("Error: the flyctl double needs FLY_DOUBLE_STATE (a directory for its state)\n")
        raise cli.Exit(1)
    os.makedirs(d, exist_ok=True)
    return d


def default_state():
    return {
        # token -> {"scope": "org" | "app", "app": NAME}; empty means any token is an org token.
        "tokens": {},
        "orgs": [{"slug": "personal", "name": "Test User", "type": "PERSONAL"}],
        "apps": {},
        # "verb path" -> {"exit": N, "stderr": "...", "stdout": "...", "times": N} (generic) or
        # {"mode": "...", "times": N} (read by the verb itself).
        "faults": {},
        "seq": 0,
    }


@contextlib.contextmanager
def locked():
    """Loads the state under an exclusive lock and saves it back when the verb returns normally or fails."""
    d = state_dir()
    path = os.path.join(d, "state.json")
    with open(os.path.join(d, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = default_state()
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                state.update(json.load(f))
        try:
            yield state
        finally:
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(state, f, indent=1, ensure_ascii=False)
            os.replace(tmp, path)


def next_id(state, prefix=""):
    state["seq"] = state.get("seq", 0) + 1
    return prefix + format(0x148e000000 + state["seq"] * 7919, "x")


def env_truthy(name):
    return os.environ.get(name, "").lower() in ("1", "ok", "t", "true")


def log_call(argv, ctx):
    source = None
    if ctx.flags.get("access-token"):
        source = "flag"
    elif os.environ.get("FLY_ACCESS_TOKEN"):
        source = "FLY_ACCESS_TOKEN"
    elif os.environ.get("FLY_API_TOKEN"):
        source = "FLY_API_TOKEN"
    # Names only (never values): tests check that flyctl's environment is allow-listed (fly/FlyEnv.java).
    entry = {"argv": argv, "cwd": os.getcwd(), "token_source": source, "env": sorted(os.environ.keys())}
    with open(os.path.join(state_dir(), "calls.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def take_fault(ctx, key=None):
    """The fault registered for this verb (or key), counting down its `times`; None when there is none."""
    key = key or " ".join(ctx.cmd.path)
    faults = ctx.state.setdefault("faults", {})
    f = faults.get(key)
    if not f:
        return None
    if "times" in f:
        f["times"] -= 1
        if f["times"] <= 0:
            del faults[key]
    return f


def inject_fault(ctx):
    key = " ".join(ctx.cmd.path)
    f = ctx.state.get("faults", {}).get(key)
    if not f or "exit" not in f:
        return
    take_fault(ctx)
    if f.get("stdout"):
        sys.stdout.write(f["stdout"] + "\n")
    if f.get("stderr"):
        sys.stderr.write(f["stderr"] + "\n")
    raise cli.Exit(f["exit"])


def strip_token(raw):
    t = raw.strip()
    for p in ("bearer ", "flyv1 "):
        if t.lower().startswith(p):
            t = t[len(p):]
    return t


def config_file_token():
    """A `fly auth login` token from the config file (helpers/config.go: $FLY_CONFIG_DIR, else ~/.fly; config.yml).
    internal/command/command.go RequireSession refuses it when last_login is missing or older than 30 days and it
    cannot prompt (always, for the double: no terminal), returning fly-go's ErrNoAuthToken. A token from the
    environment or --access-token is never aged. The double reads only the two lines it needs."""
    d = os.environ.get("FLY_CONFIG_DIR") or os.path.join(os.environ.get("HOME", "/nonexistent"), ".fly")
    path = os.path.join(d, "config.yml")
    if not os.path.isfile(path):
        return None
    token, last = None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            k, _, v = line.partition(":")
            v = v.strip().strip('"').strip("'")
            if k.strip() == "access_token":
                token = v
            elif k.strip() == "last_login":
                last = v
    if not token:
        return None
    if not last:
        return None
    try:
        when = datetime.datetime.fromisoformat(last.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    if datetime.datetime.now(datetime.timezone.utc) - when > datetime.timedelta(days=30):
        return None
    return token


def authenticate(ctx):
    raw = ctx.flags.get("access-token") or os.environ.get("FLY_ACCESS_TOKEN") or os.environ.get("FLY_API_TOKEN")
    if not raw:
        raw = config_file_token()
    if not raw:
        cli.fail("no access token available. Please login with 'flyctl auth login'")
    token = strip_token(raw)
    tokens = ctx.state.get("tokens") or {}
    if tokens:
        rec = tokens.get(token) or tokens.get(raw.strip())
        if rec is None:
            cli.fail("failed retrieving current user: You must be authenticated to view this.")
    else:
        rec = {"scope": "org"}
    ctx.token = rec


def check_app_access(ctx, name):
    rec = ctx.token or {}
    if rec.get("scope") == "app" and rec.get("app") != name:
        cli.fail("Not authorized to deploy this app.")


def require_org_token(ctx, what):
    rec = ctx.token or {}
    if rec.get("scope") == "app":
        cli.fail("Not authorized to access this organization (deploy tokens are scoped to one app and cannot %s)" % what)


def load_config(ctx):
    """flyctl's LoadAppConfigIfPresent: -c PATH (then PATH/fly.toml), else fly.toml / fly.json in the cwd."""
    path = ctx.flags.get("config")
    if path:
        candidates = [path, os.path.join(path, "fly.toml")]
        for c in candidates:
            if os.path.isfile(c):
                return parse_config(c)
        cli.fail("config file not found at specified path: %s (also tried: %s)" % (path, candidates[1]))
    for name in ("fly.toml", "fly.json"):
        if os.path.isfile(name):
            return parse_config(name)
    return None


def parse_config(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        if path.endswith(".json"):
            return json.loads(data)
        if tomllib is None:
            cli.fail("the flyctl double needs Python 3.11 (tomllib) to read fly.toml")
        return tomllib.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        cli.fail("failed loading app config from %s: %s" % (path, e))


def app_name(ctx, required=True):
    name = ctx.flags.get("app") or os.environ.get("FLY_APP")
    if not name:
        cfg = load_config(ctx) if "config" in ctx.cmd.flags else None
        name = (cfg or {}).get("app")
    if not name and required:
        cli.fail("the config for your app is missing an app name, add an app field to the fly.toml file or specify with the -a flag")
    return name


def update(fn):
    """For verbs that run without the lock: applies fn(state) under the lock and saves."""
    with locked() as state:
        fn(state)
