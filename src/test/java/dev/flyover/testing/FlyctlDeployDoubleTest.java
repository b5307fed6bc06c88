package dev.flyover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The flyctl double's deploy, releases, status and apps verbs keep flyctl's flags, streams and JSON casing. */
@Tag("integration")
class FlyctlDeployDoubleTest {
  static final ObjectMapper JSON = new ObjectMapper();

  record Run(int code, String stdout, String stderr) {}

  static Run run(FlyctlDouble fly, String token, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(FlyctlDouble.EXECUTABLE.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("FLY_DOUBLE_STATE", fly.stateDir().toString());
    pb.environment().remove("FLY_ACCESS_TOKEN");
    if (token == null) pb.environment().remove("FLY_API_TOKEN"); else pb.environment().put("FLY_API_TOKEN", token);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    return new Run(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  static List<String> keys(JsonNode n) {
    List<String> k = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) k.add(it.next());
    return k;
  }

  @Test
  void deployReleasesAndStatusLookLikeFlyctl() throws Exception {
    FlyctlDouble fly = new FlyctlDouble();
    assertEquals(0, run(fly, "t", "apps", "create", "shop", "--org", "personal").code());
    Run d = run(fly, "t", "deploy", "-a", "shop", "--remote-only", "--image", "nginx:1.27");
    assertEquals(0, d.code(), d.stderr());
    assertTrue(d.stderr().contains("Searching for image 'nginx:1.27' remotely..."), d.stderr());
    assertTrue(d.stdout().contains("Watch your deployment at https://fly.io/apps/shop/monitoring"), d.stdout());

    JsonNode releases = JSON.readTree(run(fly, "t", "releases", "-a", "shop", "--json").stdout());
    assertEquals(List.of("ID", "Version", "Stable", "InProgress", "Reason", "Description", "Status", "DeploymentStrategy",
        "Metadata", "User", "EvaluationID", "CreatedAt", "ImageRef"), keys(releases.get(0)));
    assertEquals("complete", releases.get(0).path("Status").asText());
    // fly-go resource_releases.go never queries these: always null, false and empty.
    assertTrue(releases.get(0).path("Metadata").isNull());
    assertFalse(releases.get(0).path("InProgress").asBoolean());
    assertEquals("", releases.get(0).path("DeploymentStrategy").asText());

    Run s = run(fly, "t", "status", "-a", "shop", "--json");
    assertTrue(s.stdout().startsWith("{\n    \"AppURL\""), "Go's 4-space encoder: " + s.stdout());
    JsonNode status = JSON.readTree(s.stdout());
    assertEquals(List.of("AppURL", "Deployed", "Hostname", "ID", "Machines", "Name", "Organization", "PlatformVersion",
        "Status", "Version"), keys(status));
    JsonNode m = status.path("Machines").get(0);
    assertTrue(keys(m).containsAll(List.of("id", "name", "state", "region", "image_ref", "instance_id", "config", "checks")));
    assertEquals("1", m.path("config").path("metadata").path("fly_release_version").asText());
  }

  @Test
  void refusesWhatFlyctlRefuses() throws Exception {
    FlyctlDouble fly = new FlyctlDouble();
    run(fly, "t", "apps", "create", "shop", "--org", "personal");
    Run r = run(fly, "t", "deploy", "-a", "shop", "--bogus");
    assertEquals(1, r.code());
    assertTrue(r.stderr().startsWith("Error: unknown flag: --bogus"), r.stderr());
    r = run(fly, "t", "deploy", "-a", "shop", "--wait-timeout", "soon", "--image", "nginx");
    assertTrue(r.stderr().contains("invalid duration value soon used for --wait-timeout flag"), r.stderr());
    r = run(fly, "t", "deploy", "-a", "shop", "--build-arg", "NOVALUE", "--image", "nginx");
    assertTrue(r.stderr().contains("'NOVALUE': must be in the format NAME=VALUE"), r.stderr());
    r = run(fly, "t", "status", "-a", "shop", "--json", "--watch");
    assertTrue(r.stderr().contains("--watch and --json are not supported together"), r.stderr());
    r = run(fly, null, "releases", "-a", "shop");
    assertTrue(r.stderr().contains("no access token available"), r.stderr());
    r = run(fly, "t", "apps", "create", "shop", "--org", "personal");
    // Machines API: the server's text (neutral in the double), then fly-go's name_taken suggestion line.
    List<String> lines = r.stderr().lines().toList();
    assertTrue(lines.get(0).startsWith("Error: "), r.stderr());
    assertTrue(lines.get(1).startsWith("App names are unique across all of Fly.io"), r.stderr());
    fly.token("app-tok", "app", "shop");
    r = run(fly, "app-tok", "apps", "create", "other", "--org", "personal");
    assertEquals(1, r.code());
    assertTrue(r.stderr().contains("deploy tokens"), r.stderr());
  }
}
