package dev.flyover.cutover;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flyover.heroku.Domain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A Fly certificate for each Heroku custom domain ({@code flyctl certs add HOST --json}), and the DNS records to
 * set, read from the certificate's {@code dns_requirements}: A and AAAA for an apex domain (no CNAME is allowed
 * there), a CNAME to {@code APP.fly.dev} otherwise. A certificate changes no traffic until DNS moves, so it is
 * kept on failure.
 */
final class CertificatesStep implements Step {
  /** Public suffixes of two labels, so {@code shop.co.uk} counts as an apex domain. */
  private static final Set<String> TWO_LABEL_SUFFIXES = Set.of("co.uk", "org.uk", "ac.uk", "gov.uk", "com.au",
      "net.au", "org.au", "co.nz", "co.jp", "com.br", "com.mx", "co.za", "co.in", "com.sg", "com.tr", "com.cn");

  private final Cutover c;

  CertificatesStep(Cutover c) {
    this.c = c;
  }

  @Override
  public String id() {
    return "certificates";
  }

  @Override
  public String title() {
    return "Add Fly certificates for Heroku's custom domains";
  }

  private List<String> customDomains() {
    return c.heroku.domains(c.settings.herokuApp()).stream().filter(Domain::custom).map(Domain::hostname).toList();
  }

  private Set<String> existing() {
    Set<String> names = new HashSet<>();
    for (JsonNode cert : c.fly.json("certs", "list", "-a", c.settings.flyApp())) {
      names.add(cert.path("hostname").asText().toLowerCase(Locale.ROOT));
    }
    return names;
  }

  @Override
  public Optional<String> alreadyDone() {
    List<String> domains = customDomains();
    if (domains.isEmpty()) return Optional.of("Heroku app " + c.settings.herokuApp() + " has no custom domains");
    Set<String> have = existing();
    if (!domains.stream().allMatch(d -> have.contains(d.toLowerCase(Locale.ROOT)))) return Optional.empty();
    c.dns.clear();
    for (String d : domains) records(d, c.fly.json("certs", "show", "-a", c.settings.flyApp(), "--", d));
    return Optional.of("every custom domain already has a Fly certificate (" + String.join(", ", domains) + ")");
  }

  @Override
  public String apply() {
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    List<String> domains = customDomains();
    Set<String> have = existing();
    c.dns.clear();
    List<String> added = new ArrayList<>();
    for (String d : domains) {
      JsonNode cert;
      if (have.contains(d.toLowerCase(Locale.ROOT))) {
        cert = c.fly.json("certs", "show", "-a", c.settings.flyApp(), "--", d);
      } else {
        cert = c.fly.json("certs", "add", "-a", c.settings.flyApp(), "--", d);
        added.add(d);
      }
      records(d, cert);
    }
    return "certificates added: " + (added.isEmpty() ? "none needed" : String.join(", ", added))
        + "; " + c.dns.size() + " DNS record(s) to set";
  }

  /** The records for one domain, from flyctl's CertificateDetailResponse. */
  private void records(String host, JsonNode cert) {
    JsonNode req = cert.path("dns_requirements");
    if (apex(host)) {
      List<String> v4 = texts(req.path("a"));
      List<String> v6 = texts(req.path("aaaa"));
      for (String ip : v4) c.dns.add(new DnsRecord(host, "A", host, ip, "apex domain: A record (replaces Heroku's ALIAS/ANAME)"));
      for (String ip : v6) c.dns.add(new DnsRecord(host, "AAAA", host, ip, "apex domain: AAAA record"));
      if (v4.isEmpty() && v6.isEmpty()) {
        c.warn("The Fly app " + c.settings.flyApp() + " has no public IP addresses, so " + host
            + " has no A/AAAA records yet: run `fly ips allocate-v4 --shared -a " + c.settings.flyApp()
            + "` and `fly ips allocate-v6 -a " + c.settings.flyApp() + "`, then `fly certs check " + host + "`.");
      }
    } else {
      String target = req.path("cname").asText(c.settings.flyApp() + ".fly.dev");
      c.dns.add(new DnsRecord(host, "CNAME", host, target, "replaces the CNAME to Heroku's herokudns.com"));
    }
    JsonNode acme = req.path("acme_challenge");
    if (!acme.path("name").asText().isEmpty()) {
      c.dns.add(new DnsRecord(host, "CNAME", acme.path("name").asText(), acme.path("target").asText(),
          "optional, set first: Fly issues the certificate before traffic moves"));
    }
  }

  private static List<String> texts(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr.isArray()) arr.forEach(n -> out.add(n.asText()));
    return out;
  }

  static boolean apex(String host) {
    String h = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    String[] labels = h.split("\\.");
    if (labels.length <= 2) return true;
    return labels.length == 3 && TWO_LABEL_SUFFIXES.contains(labels[1] + "." + labels[2]);
  }
}
