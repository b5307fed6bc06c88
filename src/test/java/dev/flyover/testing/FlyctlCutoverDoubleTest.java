package dev.flyover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The flyctl double's certs, ips and postgres verbs keep flyctl's flags, streams, JSON casing and texts (A.4, A.5). */
@Tag("integration")
class FlyctlCutoverDoubleTest {
  static final String TOKEN = "fo1_double_test";

  FlyctlDouble fly() {
    FlyctlDouble fly = new FlyctlDouble();
    fly.run(TOKEN, "apps", "create", "shop", "--org", "personal");
    return fly;
  }

  @Test
  void ipsListIsPascalCaseWithTheSharedV4Quirk() throws Exception {
    FlyctlDouble fly = fly();
    fly.run(TOKEN, "ips", "allocate-v4", "--shared", "-a", "shop");
    fly.run(TOKEN, "ips", "allocate-v6", "-a", "shop");
    var r = FlyctlDeployDoubleTest.run(fly, TOKEN, "ips", "list", "-a", "shop", "--json");
    assertEquals(0, r.code(), r.stderr());
    JsonNode ips = FlyctlDeployDoubleTest.JSON.readTree(r.stdout());
    assertEquals(List.of("ID", "Address", "Type", "Region", "CreatedAt", "ServiceName", "Network"), FlyctlDeployDoubleTest.keys(ips.get(0)));
    assertEquals("shared_v4", ips.get(0).path("Type").asText());
    assertEquals("", ips.get(0).path("ID").asText());
    assertEquals("0001-01-01T00:00:00Z", ips.get(0).path("CreatedAt").asText());
    assertTrue(r.stdout().startsWith("[\n    {"), "Go's 4-space encoder");
    var text = FlyctlDeployDoubleTest.run(fly, TOKEN, "ips", "list", "-a", "shop");
    assertTrue(text.stdout().contains("Learn more about Fly.io public, private, shared and dedicated IP addresses"));
  }

  @Test
  void certsAddShowListAndTheirDnsRequirements() throws Exception {
    FlyctlDouble fly = fly();
    var none = FlyctlDeployDoubleTest.run(fly, TOKEN, "certs", "add", "shop.example", "-a", "shop");
    assertTrue(none.stdout().contains("Your app has no public IP addresses.\nRun fly ips allocate to allocate IPs."), none.stdout());
    fly.run(TOKEN, "ips", "allocate-v4", "--shared", "-a", "shop");
    var added = FlyctlDeployDoubleTest.run(fly, TOKEN, "certs", "create", "www.shop.example", "-a", "shop", "--json");
    assertEquals(0, added.code(), added.stderr());
    JsonNode cert = FlyctlDeployDoubleTest.JSON.readTree(added.stdout());
    assertEquals("pending_validation", cert.path("status").asText());
    assertEquals("shop.fly.dev", cert.path("dns_requirements").path("cname").asText());
    assertEquals("_acme-challenge.www.shop.example", cert.path("dns_requirements").path("acme_challenge").path("name").asText());
    assertFalse(cert.has("dns_records"), "only check/show adds dns_records");
    var text = FlyctlDeployDoubleTest.run(fly, TOKEN, "certs", "add", "api.shop.example", "-a", "shop");
    assertTrue(text.stdout().startsWith("✓ Certificate created for api.shop.example"), text.stdout());
    assertTrue(text.stdout().contains("  A    api.shop.example → 66.241.124."), text.stdout());
    assertTrue(text.stdout().contains("Run fly certs check api.shop.example to check validation progress."));
    var shown = FlyctlDeployDoubleTest.run(fly, TOKEN, "certs", "show", "www.shop.example", "-a", "shop", "--json");
    assertTrue(FlyctlDeployDoubleTest.JSON.readTree(shown.stdout()).has("dns_records"));
    fly.edit(s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s.path("apps").path("shop").path("certs").path("www.shop.example")).put("status", "active"));
    assertTrue(FlyctlDeployDoubleTest.run(fly, TOKEN, "certs", "check", "www.shop.example", "-a", "shop").stdout()
        .contains("Certificate is verified and active"));
    JsonNode list = FlyctlDeployDoubleTest.JSON.readTree(FlyctlDeployDoubleTest.run(fly, TOKEN, "certs", "list", "-a", "shop", "--json").stdout());
    assertEquals(3, list.size());
    assertTrue(list.get(0).has("acme_alpn_configured") && list.get(0).has("has_fly_certificate"));
    var bad = FlyctlDeployDoubleTest.run(fly, TOKEN, "certs", "add", "x.example", "-a", "shop", "--wildcard");
    assertEquals(1, bad.code());
    assertTrue(bad.stderr().startsWith("Error: unknown flag: --wildcard"), bad.stderr());
  }

  @Test
  void postgresCreateNeedsEveryFlagWithoutATerminalAndAttachStagesTheSecret() throws Exception {
    FlyctlDouble fly = fly();
    var prompt = FlyctlDeployDoubleTest.run(fly, TOKEN, "postgres", "create", "--name", "shop-db", "--org", "personal", "--region", "ams");
    assertEquals(1, prompt.code());
    assertTrue(prompt.stderr().contains("Unmanaged Fly Postgres"), "the fly pg notice on stderr");
    assertTrue(prompt.stderr().contains("Error: prompt: non-interactive"), prompt.stderr());
    var created = FlyctlDeployDoubleTest.run(fly, TOKEN, "pg", "create", "--name", "shop-db", "--org", "personal",
        "--region", "ams", "--vm-size", "shared-cpu-1x", "--initial-cluster-size", "1", "--volume-size", "10");
    assertEquals(0, created.code(), created.stderr());
    assertTrue(created.stdout().contains("Postgres cluster shop-db created\n  Username:    postgres\n  Password:    "), created.stdout());
    assertTrue(created.stdout().contains("@shop-db.flycast:5432\n\n"), "the embedded newline: " + created.stdout());
    var attached = FlyctlDeployDoubleTest.run(fly, TOKEN, "postgres", "attach", "shop-db", "-a", "shop", "--yes");
    assertEquals(0, attached.code(), attached.stderr());
    assertTrue(attached.stdout().contains("The following secret was added to shop:\n  DATABASE_URL=postgres://shop:"), attached.stdout());
    JsonNode secret = fly.app("shop").path("secrets").path("DATABASE_URL");
    assertEquals("Staged", secret.path("status").asText());
    assertTrue(attached.stdout().contains(secret.path("value").asText()));
    var again = FlyctlDeployDoubleTest.run(fly, TOKEN, "postgres", "attach", "shop-db", "-a", "shop");
    assertTrue(again.stderr().contains("Error: consumer app \"shop\" already contains a secret named DATABASE_URL"), again.stderr());
  }
}
