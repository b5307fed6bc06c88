"""fly version."""
from .cli import command, out, go_json, JSON_FLAG

VERSION = "0.4.87"


@command("version", flags=dict(JSON_FLAG, **{"saveinstall": ("string", "s", None)}), needs_auth=False)
def version(ctx):
    if ctx.json():
        go_json({"Version": VERSION, "Commit": "ad0172fa", "BuildDate": "2026-08-21T00:00:00Z",
                 "OS": "linux", "Architecture": "amd64", "Environment": "production"})
    else:
        out("flyctl v%s linux/amd64 Commit: ad0172fa BuildDate: 2026-08-21T00:00:00Z" % VERSION)
