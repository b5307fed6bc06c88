"""fly certs add (create) | show (= check) | check | list (internal/command/certificates/root.go). Certificates
live in state["apps"][app]["certs"][hostname]. A test makes one active by setting its "status" to "active"
(what Fly does once DNS points at the app). JSON is snake_case, as flyctl prints CertificateDetailResponse."""
import datetime
import hashlib

from . import ips as ipmod
from .cli import command, fail, out, go_json, APP_FLAGS, JSON_FLAG


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


LIST_LIMIT = 50


def certs_of(app):
    return app.setdefault("certs", {})


def short(s):
    return hashlib.sha256(s.encode()).hexdigest()[:4]


def requirements(app, host):
    bare = host[2:] if host.startswith("*.") else host
    return {
        "a": ipmod.public_v4(app),
        "aaaa": ipmod.public_v6(app),
        "cname": app.get("hostname") or app["name"] + ".fly.dev",
        "acme_challenge": {"name": "_acme-challenge." + bare,
                           "target": "%s.%s.flydns.net" % (bare, short(app["name"]))},
        "ownership": {"name": "_fly-ownership." + bare, "app_value": "app-" + short("app" + app["name"]) * 2,
                      "org_value": "org-" + short("org" + app.get("org", "personal")) * 2},
    }


def detail(app, cert, check=False):
    active = cert["status"] == "active"
    d = {
        "hostname": cert["hostname"],
        "configured": active,
        "acme_requested": True,
        "status": cert["status"],
        "certificates": [] if not active else [{
            "source": "fly", "status": "active", "created_at": cert["created_at"],
            "expires_at": cert.get("expires_at", "2027-02-23T00:00:00Z"), "issuer": "Let's Encrypt",
            "issued": [{"type": "ecdsa", "expires_at": "2027-02-23T00:00:00Z", "certificate_authority": "lets_encrypt"},
                       {"type": "rsa", "expires_at": "2027-02-23T00:00:00Z", "certificate_authority": "lets_encrypt"}]}],
        "validation": {"dns_configured": active, "alpn_configured": active, "http_configured": active,
                       "ownership_txt_configured": False},
        "dns_requirements": requirements(app, cert["hostname"]),
    }
    if check:
        d["dns_records"] = {"a": ipmod.public_v4(app) if active else [], "aaaa": ipmod.public_v6(app) if active else [],
                            "cname": [], "resolved_addresses": [], "soa": "", "acme_challenge_cname": "",
                            "ownership_txt": ""}
    return d


def print_setup(app, host):
    req = requirements(app, host)
    if host.startswith("*."):
        out("Wildcard certificates require DNS validation:")
        out("  CNAME %s → %s" % (req["acme_challenge"]["name"], req["acme_challenge"]["target"]))
        out("")
    if not req["a"] and not req["aaaa"]:
        out("Your app has no public IP addresses.")
        out("Run fly ips allocate to allocate IPs.")
        return
    out("Recommended DNS setup:")
    for ip in req["a"]:
        out("  A    %s → %s" % (host, ip))
    for ip in req["aaaa"]:
        out("  AAAA %s → %s" % (host, ip))


@command("certs add", args=(1, 1), aliases=("certs create",), flags=dict(APP_FLAGS, **JSON_FLAG))
def certs_add(ctx):
    app = ctx.app_flaps("failed to create ACME certificate")
    host = ctx.args[0].strip().lower()
    certs = certs_of(app)
    if host in certs:
        # (unverified) the API's answer for a hostname the app already has
        fail("Hostname already exists on app")
    cert = {"hostname": host, "status": "pending_validation", "created_at": now()}
    certs[host] = cert
    if ctx.json():
        go_json(detail(app, cert))
        return
    out("✓ Certificate created for %s" % host)
    out("")
    print_setup(app, host)
    out("")
    out("Run fly certs check %s to check validation progress." % host)
    out("Run fly certs setup %s for alternative DNS setups." % host)


@command("certs check", args=(1, 1), aliases=("certs show",), flags=dict(APP_FLAGS, **JSON_FLAG))
def certs_check(ctx):
    app = ctx.app_flaps("failed to check certificate")
    host = ctx.args[0].strip().lower()
    cert = certs_of(app).get(host)
    if cert is None:
        # fly-go flaps_certificates.go wraps the server's 404 text, which is unknown: a neutral one here.
        fail("failed to check certificate: (double: no certificate for this hostname)")
    if ctx.json():
        go_json(detail(app, cert, check=True))
        return
    out("Hostname: %s" % host)
    out("Status:   %s" % cert["status"])
    out("")
    if cert["status"] == "active":
        out("Certificate is verified and active")
    else:
        print_setup(app, host)


@command("certs list", aliases=("certs ls",), flags=dict(APP_FLAGS, **JSON_FLAG))
def certs_list(ctx):
    # root.go runCertificatesList: flaps ListCertificates with Limit 50; when there is a next page it prints
    # "Showing N of M certificates…" after the list, on stdout, JSON or not.
    app = ctx.app_flaps("failed to list certificates")
    rows = []
    hosts = sorted(certs_of(app))
    for host in hosts[:LIST_LIMIT]:
        c = certs_of(app)[host]
        active = c["status"] == "active"
        rows.append({"hostname": host, "status": c["status"], "acme_dns_configured": active,
                     "acme_alpn_configured": active, "acme_http_configured": active, "ownership_txt_configured": False,
                     "configured": active, "acme_requested": True, "has_custom_certificate": False,
                     "has_fly_certificate": active, "created_at": c["created_at"], "updated_at": c["created_at"]})
    if ctx.json():
        go_json(rows)
    else:
        out("HOSTNAME\tSOURCE\tSTATUS")
        for r in rows:
            out("%s\t%s\t%s" % (r["hostname"], "fly", "Issued" if r["configured"] else "Not verified"))
    if len(hosts) > LIST_LIMIT:
        out("")
        out("Showing %d of %d certificates. (double: the Machines API pages the rest)" % (len(rows), len(hosts)))
