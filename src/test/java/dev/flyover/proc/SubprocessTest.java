package dev.flyover.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.Env;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class SubprocessTest {
  private static final Env ENV = Env.of(Map.of("PATH", System.getenv("PATH")));

  @Test
  void stdinAndEnvironmentReachTheChildAndBothStreamsAreKept() throws Exception {
    List<String> live = new ArrayList<>();
    Subprocess.Result r = Subprocess.of(List.of("/usr/bin/python3", "-c",
            "import os,sys; d=sys.stdin.read(); print(d.upper()); print(os.environ['SECRET_IN_ENV'], file=sys.stderr); sys.exit(3)"))
        .inherit(ENV).env("SECRET_IN_ENV", "s3cret").stdin("héllo".getBytes(StandardCharsets.UTF_8))
        .onStdout(live::add).run();
    assertEquals(3, r.exitCode());
    assertEquals(List.of("HÉLLO"), r.stdout());
    assertEquals(List.of("s3cret"), r.stderr());
    assertEquals(List.of("HÉLLO"), live);
  }

  @Test
  void timeoutKillsTheWholeTree() throws Exception {
    Subprocess.Result r = Subprocess.of(List.of("/usr/bin/python3", "-c",
            "import subprocess,time; p=subprocess.Popen(['sleep','60']); print(p.pid, flush=True); time.sleep(60)"))
        .inherit(ENV).timeout(Duration.ofMillis(1500)).run();
    assertTrue(r.timedOut());
    assertFalse(r.ok());
    long grandchild = Long.parseLong(r.stdout().get(0).strip());
    // A killed process stays visible until it is reaped; give that a moment.
    boolean alive = true;
    for (int i = 0; i < 50 && alive; i++) {
      alive = ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false);
      if (alive) Thread.sleep(100);
    }
    assertFalse(alive, "the child's own child was killed too");
  }

  @Test
  void valuesTheLocaleCannotCarryAreRefusedNotMangled() {
    boolean utf8 = java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"))
        .newEncoder().canEncode("ü");
    Subprocess sp = Subprocess.of(List.of("/usr/bin/true")).inherit(ENV).env("PASSWORD", "pässword");
    if (utf8) {
      org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> sp.run());
    } else {
      dev.flyover.UserError e = org.junit.jupiter.api.Assertions.assertThrows(dev.flyover.UserError.class, sp::run);
      assertTrue(e.getMessage().contains("LANG=C.UTF-8"), e.getMessage());
      assertFalse(e.getMessage().contains("pässword"));
    }
  }

  @Test
  void theEnvironmentIsExactlyTheOneGiven() throws Exception {
    Subprocess.Result r = Subprocess.of(List.of("/usr/bin/python3", "-c", "import os; print(sorted(k for k in os.environ if k != 'LC_CTYPE'))"))
        .inherit(Env.of(Map.of("PATH", System.getenv("PATH"), "ONLY", "1"))).run();
    assertEquals("['ONLY', 'PATH']", r.stdoutText());
  }
}
