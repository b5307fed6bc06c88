package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.RunnerFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepOutputsTest {
  @Test
  void singleAndMultiLineValuesReadBackAsTheRunnerReadsThem(@TempDir Path dir) throws Exception {
    StepOutputs o = new StepOutputs(new Masker(false, l -> {}));
    o.set("app-name", "ünïcødé-app");
    o.set("equals", "a=b=c");
    o.set("empty", "");
    o.set("lines", "first\nsecond\n\nfourth");
    o.set("status", "success");
    Path f = dir.resolve("out");
    o.writeTo(f);
    String text = Files.readString(f, StandardCharsets.UTF_8);
    assertTrue(text.contains("lines<<ghadelimiter_"), text);
    Map<String, String> parsed = RunnerFiles.parseKeyValue(text);
    assertEquals("ünïcødé-app", parsed.get("app-name"));
    assertEquals("a=b=c", parsed.get("equals"));
    assertEquals("", parsed.get("empty"));
    assertEquals("first\nsecond\n\nfourth", parsed.get("lines"));
    assertEquals("success", parsed.get("status"));
  }

  @Test
  void laterValueWinsAndSecretsAreRedacted() {
    Masker m = new Masker(false, l -> {});
    m.add("hunter2");
    StepOutputs o = new StepOutputs(m);
    o.set("status", "success");
    o.set("status", "failure");
    o.set("error", "password hunter2 rejected");
    String text = o.render();
    assertEquals("failure", RunnerFiles.parseKeyValue(text).get("status"));
    assertFalse(text.contains("hunter2"));
  }
}
