package dev.flyover.cutover;

import dev.flyover.fly.Certificate;
import dev.flyover.heroku.Domain;
import java.util.ArrayList;
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

  /**
   * Each domain asked for by name ({@code certs show}): {@code certs list} stops at 50 (fly/Flyctl#certificates), so
   * it cannot say that a certificate is missing.
   */
  @Override
  public Optional<String> alreadyDone() {
    List<String> domains = customDomains();
    if (domains.isEmpty()) return Optional.of("Heroku app " + c.settings.herokuApp() + " has no custom domains");
    List<Certificate> certs = new ArrayList<>();
    for (String d : domains) {
      Optional<Certificate> cert = c.fly.certificate(c.settings.flyApp(), d);
      if (cert.isEmpty()) return Optional.empty();
      certs.add(cert.get());
    }
    c.dns.clear();
    for (int i = 0; i < domains.size(); i++) records(domains.get(i), certs.get(i));
    return Optional.of("every custom domain already has a Fly certificate (" + String.join(", ", domains) + ")");
  }

  @Override
  public String apply() {
    if (!c.settings.confirmed()) throw PlanStep.notConfirmed(c);
    List<String> domains = customDomains();
    c.dns.clear();
    List<String> added = new ArrayList<>();
    for (String d : domains) {
      Optional<Certificate> have = c.fly.certificate(c.settings.flyApp(), d);
      Certificate cert;
      if (have.isPresent()) {
        cert = have.get();
      } else {
        cert = c.fly.addCertificate(c.settings.flyApp(), d);
        added.add(d);
      }
      records(d, cert);
    }
    return "certificates added: " + (added.isEmpty() ? "none needed" : String.join(", ", added))
        + "; " + c.dns.size() + " DNS record(s) to set";
  }

  /** The records for one domain, from the certificate's DNS requirements. */
  private void records(String host, Certificate cert) {
    if (apex(host)) {
      List<String> v4 = cert.a();
      List<String> v6 = cert.aaaa();
      for (String ip : v4) c.dns.add(new DnsRecord(host, "A", host, ip, "apex domain: A record (replaces Heroku's ALIAS/ANAME)"));
      for (String ip : v6) c.dns.add(new DnsRecord(host, "AAAA", host, ip, "apex domain: AAAA record"));
      if (v4.isEmpty() && v6.isEmpty()) {
        c.warn("The Fly app " + c.settings.flyApp() + " has no public IP addresses, so " + host
            + " has no A/AAAA records yet: run `fly ips allocate-v4 --shared -a " + c.settings.flyApp()
            + "` and `fly ips allocate-v6 -a " + c.settings.flyApp() + "`, then `fly certs check " + host + "`.");
      }
    } else {
      String target = cert.cname().isEmpty() ? c.settings.flyApp() + ".fly.dev" : cert.cname();
      c.dns.add(new DnsRecord(host, "CNAME", host, target, "replaces the CNAME to Heroku's herokudns.com"));
    }
    if (!cert.acmeName().isEmpty()) {
      c.dns.add(new DnsRecord(host, "CNAME", cert.acmeName(), cert.acmeTarget(),
          "optional, set first: Fly issues the certificate before traffic moves"));
    }
  }

  static boolean apex(String host) {
    String h = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    String[] labels = h.split("\\.");
    if (labels.length <= 2) return true;
    return labels.length == 3 && TWO_LABEL_SUFFIXES.contains(labels[1] + "." + labels[2]);
  }
}
