package dev.flyover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The double's machine run, machine status, logs and apps destroy keep flyctl's flags, streams and texts
 * (internal/command/machine/run.go, status.go, logs/logs.go, render/render.go; fly-go machine_types.go).
 */
@Tag("integration")
class FlyctlMachinesDoubleTest {
  static final String TOKEN = "fo1_double_test";

  FlyctlDouble fly() {
    FlyctlDouble fly = new FlyctlDouble();
    fly.run(TOKEN, "apps", "create", "helper", "--org=personal");
    fly.edit(s -> s.with("images").putObject("img").putArray("entrypoint").add("python3").add("-c")
        .add("import sys; print(open(sys.argv[1]).read()); print('to stderr', file=sys.stderr); sys.exit(3)"));
    return fly;
  }

  static List<JsonNode> entries(String stdout) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = FlyctlDeployDoubleTest.JSON.readerFor(JsonNode.class).readValues(stdout)) {
      while (it.hasNextValue()) out.add(it.nextValue());
    }
    return out;
  }

  @Test
  void aMachineRunsWithItsFileSecretLogsEachLineAndIsDestroyedByRmWhenItExits() throws Exception {
    FlyctlDouble fly = fly();
    String value = Base64.getEncoder().encodeToString("file content".getBytes(StandardCharsets.UTF_8));
    fly.edit(s -> s.with("apps").with("helper").with("secrets").putObject("S").put("value", value).put("status", "Staged"));
    var r = FlyctlDeployDoubleTest.run(fly, TOKEN, "machine", "run", "--app", "helper", "--rm", "--detach",
        "--vm-size", "performance-2x", "--region=fra", "--file-secret", "/run/s=S", "--", "img", "/run/s");
    assertEquals(0, r.code(), r.stderr());
    assertTrue(r.stdout().startsWith("Success! A Machine has been successfully launched in app helper\n Machine ID: "), r.stdout());
    assertTrue(r.stdout().endsWith("Machine started, you can connect via the following private ip\n  "
        + r.stdout().substring(r.stdout().lastIndexOf("  ") + 2)), r.stdout());
    String id = r.stdout().split("\n")[1].substring(" Machine ID: ".length());
    // The machine runs on after flyctl returned; its exit event arrives when it ends.
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String status;
    do {
      status = FlyctlDeployDoubleTest.run(fly, TOKEN, "machine", "status", id, "-a", "helper").stdout();
      if (System.nanoTime() > end) throw new AssertionError(status);
    } while (!status.contains("exit_code="));
    assertTrue(status.contains("State: destroyed"), status);
    assertTrue(status.contains("exit_code=3,oom_killed=false,requested_stop=false"), status);
    var logs = FlyctlDeployDoubleTest.run(fly, TOKEN, "logs", "-a", "helper", "--no-tail", "--json");
    assertEquals(0, logs.code(), logs.stderr());
    assertTrue(logs.stdout().startsWith("{\n    \"level\": \"info\",\n    \"instance\": \"" + id + "\""), logs.stdout());
    List<String> messages = new ArrayList<>();
    for (JsonNode e : entries(logs.stdout())) messages.add(e.path("message").asText());
    assertTrue(messages.contains("file content"), messages.toString());
    assertTrue(messages.contains("to stderr"), messages.toString());
    var machine = fly.app("helper").path("machines").get(0).path("config");
    assertEquals(4096, machine.path("guest").path("memory_mb").asInt());
    assertEquals("no", machine.path("restart").path("policy").asText(), "--rm means restart policy no (run.go)");
    fly.run(TOKEN, "apps", "destroy", "helper", "--yes");
    assertTrue(fly.app("helper").isMissingNode());
  }

  @Test
  void flagsAreCheckedAsFlyctlAndFlyGoCheckThem() throws Exception {
    FlyctlDouble fly = fly();
    var size = FlyctlDeployDoubleTest.run(fly, TOKEN, "machine", "run", "-a", "helper", "--vm-size", "shared-cpu-3x", "img");
    assertEquals(1, size.code());
    assertTrue(size.stderr().startsWith("Error: 'shared-cpu-3x' is an invalid machine size, choose one of: [shared-cpu-1x "),
        size.stderr());
    var path = FlyctlDeployDoubleTest.run(fly, TOKEN, "machine", "run", "-a", "helper", "--file-secret", "run/s=S", "img");
    assertTrue(path.stderr().startsWith("Error: failed to read file-secret: guest path, run/s, must be absolute"), path.stderr());
    var destroy = FlyctlDeployDoubleTest.run(fly, TOKEN, "apps", "destroy", "helper");
    assertTrue(destroy.stderr().startsWith("Error: yes flag must be specified when not running interactively"), destroy.stderr());
  }
}
