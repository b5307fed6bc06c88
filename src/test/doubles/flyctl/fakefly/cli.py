"""Command tree and pflag-style flag parsing, as cobra does it for flyctl.

A command module registers verbs with @command(path, flags=..., args=(min, max)). Flags are parsed like
pflag: --name value, --name=value, -n value, -nvalue, bool flags take no value but accept --name=false,
repeatable flags collect a list, `--` ends flags. An unknown flag is an error, as in flyctl."""
import json
import os
import sys

from . import state as st

COMMANDS = {}   # path tuple -> Command
ALIASES = {}    # alias path tuple -> path tuple

# Persistent flags on flyctl's root command.
GLOBAL_FLAGS = {
    "access-token": ("string", "t", None),
    "verbose": ("bool", None, False),
    "debug": ("bool", None, False),
    "help": ("bool", "h", False),
}
# Flags most app commands take (flag.App(), flag.AppConfig()).
APP_FLAGS = {
    "app": ("string", "a", None),
    "config": ("string", "c", None),
}
JSON_FLAG = {"json": ("bool", "j", False)}


class Exit(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


class Command:
    def __init__(self, path, fn, flags, args, aliases, needs_auth, lock):
        self.path = path
        self.fn = fn
        self.flags = dict(GLOBAL_FLAGS)
        self.flags.update(flags)
        self.min_args, self.max_args = args
        self.aliases = aliases
        self.needs_auth = needs_auth
        self.lock = lock


def command(path, flags=None, args=(0, 0), aliases=(), needs_auth=True, lock=True):
    """Registers a verb. path is a space-separated command path, e.g. "secrets import". args is (min, max),
    max None for no limit. lock=False is for verbs that block (proxy): they get a snapshot of the state and
    must call state.update(fn) to change it."""
    def deco(fn):
        p = tuple(path.split())
        COMMANDS[p] = Command(p, fn, flags or {}, args, aliases, needs_auth, lock)
        for a in aliases:
            ALIASES[tuple(a.split())] = p
        return fn
    return deco


def err(msg):
    sys.stderr.write(msg + "\n")


def colour_forced():
    """iostreams/color.go EnvColorForced: CLICOLOR_FORCE set and not "0" turns colour on without a terminal, and
    NO_COLOR does not override it."""
    v = os.environ.get("CLICOLOR_FORCE", "")
    return v != "" and v != "0"


def error_prefix():
    # internal/cli/cli.go printError: cs.Red("Error: ")
    return "\x1b[0;31mError: \x1b[0m" if colour_forced() else "Error: "


def fail(msg, code=1, suggestion=None):
    """flyctl's error path (internal/cli/cli.go printError): `Error: <msg>` on stderr, then each of description,
    suggestion and doc URL that the error carries followed by a blank line; exit 1."""
    err(error_prefix() + msg)
    if suggestion:
        err(suggestion)
        err("")
    raise Exit(code)


# fly-go flaps/flaps_error.go Suggestion() for status name_taken (paraphrased; the double's own words: flyover
# matches only its first words, which are fly-go's).
NAME_TAKEN_SUGGESTION = ("App names are unique across all of Fly.io, not just your organization: an app you cannot see "
                         "may hold this name. Choose another name.")


def out(text=""):
    sys.stdout.write(text + "\n")


def progress(text):
    """flyctl's TextBlock lines and other progress go to stderr."""
    sys.stderr.write(text + "\n")


def go_json(obj):
    """Go's json.Encoder with SetIndent("", "    "): 4 spaces, HTML characters escaped, trailing newline."""
    s = json.dumps(obj, indent=4, ensure_ascii=False)
    s = s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    s = s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    sys.stdout.write(s + "\n")


def parse_flags(cmd, argv):
    values = {}
    positionals = []
    shorts = {spec[1]: name for name, spec in cmd.flags.items() if spec[1]}
    i = 0

    def set_value(name, raw, has_raw):
        kind = cmd.flags[name][0]
        nonlocal i
        if kind == "bool":
            if has_raw:
                low = raw.lower()
                if low in ("1", "t", "true"):
                    values[name] = True
                elif low in ("0", "f", "false"):
                    values[name] = False
                else:
                    fail('invalid argument "%s" for "--%s" flag: strconv.ParseBool: parsing "%s": invalid syntax' % (raw, name, raw))
            else:
                values[name] = True
            return
        if not has_raw:
            if i + 1 >= len(argv):
                fail("flag needs an argument: --%s" % name)
            i += 1
            raw = argv[i]
        if kind == "int":
            try:
                raw = int(raw)
            except ValueError:
                fail('invalid argument "%s" for "--%s" flag: strconv.ParseInt: parsing "%s": invalid syntax' % (raw, name, raw))
        if kind in ("stringArray", "stringSlice"):
            parts = [raw] if kind == "stringArray" else raw.split(",")
            values.setdefault(name, []).extend(parts)
        else:
            values[name] = raw

    while i < len(argv):
        a = argv[i]
        if a == "--":
            positionals.extend(argv[i + 1:])
            break
        if a.startswith("--"):
            body = a[2:]
            name, eq, raw = body.partition("=")
            if name not in cmd.flags:
                fail("unknown flag: --%s" % name)
            set_value(name, raw, bool(eq))
        elif a.startswith("-") and len(a) > 1:
            c = a[1]
            if c not in shorts:
                fail("unknown shorthand flag: '%s' in %s" % (c, a))
            name = shorts[c]
            rest = a[2:]
            if rest.startswith("="):
                set_value(name, rest[1:], True)
            elif rest and cmd.flags[name][0] != "bool":
                set_value(name, rest, True)
            else:
                set_value(name, "", False)
        else:
            positionals.append(a)
        i += 1
    for name, spec in cmd.flags.items():
        if name not in values:
            values[name] = [] if spec[0] in ("stringArray", "stringSlice") else spec[2]
    return values, positionals


def resolve(argv):
    """Finds the longest command path at the start of argv (flags may come between words, as cobra allows; a
    word after `--` is an argument, never a command: cobra command.go stripFlags stops there)."""
    head = argv[:argv.index("--")] if "--" in argv else argv
    words = [a for a in head if not a.startswith("-")]
    for n in range(min(len(words), 4), 0, -1):
        p = tuple(words[:n])
        p = ALIASES.get(p, p)
        if p in COMMANDS:
            rest = list(argv)
            for w in words[:n]:
                rest.remove(w)
            return COMMANDS[p], rest
    return None, argv


class Ctx:
    """What a verb gets: parsed flags, positional args, stdin, the state and the caller's identity."""
    def __init__(self, cmd, flags, args, state):
        self.cmd = cmd
        self.flags = flags
        self.args = args
        self.state = state
        self.token = None

    def flag(self, name):
        return self.flags.get(name)

    def json(self):
        return bool(self.flags.get("json")) or st.env_truthy("FLY_JSON")

    def app_name(self, required=True):
        return st.app_name(self, required)

    def app(self, required=True):
        """The app record; missing apps fail as flyctl's GraphQL lookup does."""
        name = self.app_name()
        a = self.state["apps"].get(name)
        if a is None and required:
            fail("Could not find App \"%s\"" % name)
        st.check_app_access(self, name)
        return a

    def app_flaps(self, wrap):
        """The app record over the Machines API (fly-go flaps): a missing app fails with the server's text, wrapped
        by fly-go (e.g. flaps_secrets.go "failed to list app secrets: %w"). "app not found" is the body fly-go's own
        test fixture uses (flaps/flaps_apps_test.go); the real server wording may differ, so flyover must not match it."""
        name = self.app_name()
        a = self.state["apps"].get(name)
        if a is None:
            fail("%s: app not found" % wrap)
        st.check_app_access(self, name)
        return a

    def read_stdin(self):
        return sys.stdin.buffer.read()


def main(argv):
    # flyctl writes each line as it happens; a piped Python stdout would otherwise hold lines back and reorder
    # them against stderr.
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    # Imported for their @command registrations.
    from . import apps, certs, deploy, ips, logs, machines, mpg, postgres, proxy, secrets, ssh, version  # noqa: F401
    cmd, rest = resolve(argv)
    if cmd is None:
        word = next((a for a in argv if not a.startswith("-")), "")
        err('Error: unknown command "%s" for "fly"' % word)
        out("Run 'fly --help' for usage.")
        return 1
    try:
        flags, args = parse_flags(cmd, rest)
        if flags.get("help"):
            out("Usage:\n  fly %s [flags]" % " ".join(cmd.path))
            return 0
        lo, hi = cmd.min_args, cmd.max_args
        if len(args) < lo or (hi is not None and len(args) > hi):
            if hi == 0:
                fail('unknown command "%s" for "fly %s"' % (args[0], " ".join(cmd.path)))
            if lo == hi:
                fail("accepts %d arg(s), received %d" % (lo, len(args)))
            if hi is None:
                fail("requires at least %d arg(s), only received %d" % (lo, len(args)))
            fail("accepts between %d and %d arg(s), received %d" % (lo, hi, len(args)))
        with st.locked() as state:
            ctx = Ctx(cmd, flags, args, state)
            st.log_call(argv, ctx)
            st.inject_fault(ctx)
            if cmd.needs_auth:
                st.authenticate(ctx)
            if cmd.lock:
                return cmd.fn(ctx) or 0
        # A blocking verb runs outside the lock on the snapshot it was given.
        return cmd.fn(ctx) or 0
    except Exit as e:
        return e.code
    except KeyboardInterrupt:
        return 127
