package dev.flyover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one mapping from a run's end to what the user sees, on both surfaces: a terminal (stderr sentence, no
 * annotation) and Actions (an ::error:: annotation); both: exit code, outputs, the summary's failure section
 * first, what was done reported once, no stack trace unless debug.
 */
class RunReportTest {
  /** A flow's result that counts how often it was reported. */
  static final class Partial implements Outcome {
    final List<String> done;
    int reported;

    Partial(String... done) {
      this.done = List.of(done);
    }

    @Override
    public void report(Context ctx) {
      reported++;
      ctx.outputs().set("thing-count", "2");
      ctx.summary().heading(2, "Things");
      ctx.summary().markdown("2 things moved.");
    }

    @Override
    public List<String> done() {
      return done;
    }
  }

  static final class Run {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Context ctx;

    Run(boolean actions, boolean debug) {
      Map<String, String> env = new HashMap<>();
      if (actions) env.put("GITHUB_ACTIONS", "true");
      if (debug) env.put("FLYOVER_DEBUG", "1");
      ctx = new Context(Env.of(env), out, err);
      ctx.actionMode(actions);
    }

    String stdout() {
      ctx.console().flush();
      return out.toString(StandardCharsets.UTF_8);
    }

    String stderr() {
      ctx.console().flush();
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aTerminalGetsTheSentenceOnStderrOnceAndNoAnnotation() {
    Run r = new Run(false, false);
    Partial p = new Partial("Set on Fly app shop: A.");
    int code = RunReport.failed(r.ctx, "secrets", UserError.outside("Setting secrets on Fly app shop failed.").withDone(p));
    assertEquals(1, code);
    assertEquals("error: Setting secrets on Fly app shop failed.\n", r.stderr());
    assertFalse(r.stdout().contains("::error"), r.stdout());
    assertEquals("failure", r.ctx.outputs().get("status"));
    assertEquals("Setting secrets on Fly app shop failed.", r.ctx.outputs().get("error"));
    // what was done is reported like a success's result: its outputs and its section
    assertEquals(1, p.reported);
    assertEquals("2", r.ctx.outputs().get("thing-count"));
    // the terminal's text summary shows the flow's section, not the sentence a second time
    String text = r.ctx.summary().renderText();
    assertTrue(text.contains("2 things moved."), text);
    assertFalse(text.contains("Setting secrets"), text);
  }

  @Test
  void actionsGetAnAnnotationAndTheFailureSectionFirst() {
    Run r = new Run(true, false);
    Partial p = new Partial("Set on Fly app shop: A_B.", "Not set: C.");
    int code = RunReport.failed(r.ctx, "secrets", UserError.outside("Setting <secrets> failed.\nforged").withDone(p));
    assertEquals(1, code);
    assertTrue(r.stdout().contains("::error::Setting <secrets> failed.%0Aforged\n"), r.stdout());
    assertFalse(r.stdout().contains("\nforged"), r.stdout());
    assertEquals("", r.stderr());
    String md = r.ctx.summary().render();
    assertTrue(md.startsWith("> [!CAUTION]\n> **secrets failed:** Setting &lt;secrets&gt; failed. forged\n"), md);
    assertTrue(md.contains("> **Before it stopped:**\n> - Set on Fly app shop: A\\_B.\n> - Not set: C.\n"), md);
    assertTrue(md.contains("> **Cause:** outside flyover (Fly.io, Heroku, GitHub, a database or the app): the inputs may be right"), md);
    assertTrue(md.indexOf("## Things") > md.indexOf("**Cause:**"), md);
  }

  @Test
  void theCauseNamesInputsInActionsAndOptionsInATerminal() {
    Run actions = new Run(true, false);
    RunReport.failed(actions.ctx, "deploy", new UserError("The strategy input is 'fast'."));
    assertTrue(actions.ctx.summary().render().contains("**Cause:** the step's inputs: fix the one named above"),
        actions.ctx.summary().render());
    assertFalse(actions.ctx.summary().render().contains("Before it stopped"), "nothing was started");
    Run terminal = new Run(false, false);
    RunReport.failed(terminal.ctx, "deploy", new UserError("The --strategy option is 'fast'."));
    assertTrue(terminal.ctx.summary().render().contains("**Cause:** the command's options: fix the one named above"),
        terminal.ctx.summary().render());
  }

  @Test
  void somethingUnexpectedIsOneSentenceAndItsStackTraceOnlyWithDebug() {
    Run r = new Run(false, false);
    assertEquals(1, RunReport.failed(r.ctx, "deploy", new IllegalStateException("boom")));
    String err = r.stderr();
    assertTrue(err.startsWith("error: flyover deploy failed unexpectedly (IllegalStateException: boom); re-run with debug"), err);
    assertEquals(1, err.lines().count(), err);
    assertTrue(r.ctx.summary().render().contains("**Cause:** unexpected"), r.ctx.summary().render());

    Run d = new Run(true, true);
    RunReport.failed(d.ctx, "deploy", new IllegalStateException("boom"));
    String log = d.stdout();
    assertTrue(log.contains("::error::flyover deploy failed unexpectedly"), log);
    assertTrue(log.contains("::debug::java.lang.IllegalStateException: boom"), log);
    assertTrue(log.contains("at dev.flyover.RunReportTest"), log);
  }

  @Test
  void aCancelIsOutsideFlyover() {
    Run r = new Run(false, false);
    RunReport.failed(r.ctx, "database", new InterruptedException());
    assertEquals("error: flyover was cancelled before database finished.\n", r.stderr());
    assertTrue(r.ctx.summary().render().contains("**Cause:** outside flyover"), r.ctx.summary().render());
  }

  @Test
  void aBadCommandLineExitsTwo() {
    Run r = new Run(false, false);
    assertEquals(2, RunReport.failed(r.ctx, "deploy", new UserError("Unknown option: '--x'. See --help."), RunReport.USAGE));
    assertEquals("failure", r.ctx.outputs().get("status"));
    assertEquals("Unknown option: '--x'. See --help.", r.ctx.outputs().get("error"));
  }

  @Test
  void aFlowIsReportedOnceWhetherItFinishesOrStops() {
    Run r = new Run(false, false);
    Partial ok = new Partial();
    assertSame(ok, RunReport.flow(r.ctx, () -> ok));
    assertEquals(1, ok.reported);
    assertEquals(0, RunReport.finished(r.ctx, 0));
    assertEquals("success", r.ctx.outputs().get("status"));

    Run f = new Run(false, false);
    Partial half = new Partial("A was done.");
    UserError stop = UserError.outside("B failed.").withDone(half);
    UserError thrown = assertThrows(UserError.class, () -> RunReport.flow(f.ctx, () -> {
      throw stop;
    }));
    assertSame(stop, thrown);
    assertEquals(1, half.reported);
    // the command's failure handler reports the same failure: not a second time
    RunReport.failed(f.ctx, "cutover", thrown);
    assertEquals(1, half.reported);
    assertEquals(2, f.ctx.summary().render().split("## Things", -1).length, "one section");
  }

  @Test
  void theNearestFlowsResultIsKept() {
    Partial inner = new Partial("inner");
    UserError e = new UserError("x").withDone(inner).withDone(new Partial("outer"));
    assertSame(inner, e.done().orElseThrow());
  }

  @Test
  void anOutsideFailureStaysOutsideAndAnInputFailureIsTheDefault() {
    assertEquals(UserError.Origin.INPUT, new UserError("x").origin());
    assertEquals(UserError.Origin.OUTSIDE, UserError.outside("x").origin());
    assertEquals(UserError.Origin.UNEXPECTED, RunReport.asFailure("deploy", new NullPointerException()).origin());
    List<String> seen = new ArrayList<>();
    for (UserError.Origin o : UserError.Origin.values()) {
      seen.add(RunReport.section("deploy", new UserError("x").origin(o), true));
    }
    assertEquals(3, seen.stream().distinct().count());
  }

  @Test
  void outputsThatCannotBeWrittenFailTheRunInOneSentence() {
    Run r = new Run(false, false);
    r.ctx.outputFile(java.nio.file.Path.of("/nonexistent-flyover-dir/out"));
    r.ctx.outputs().set("status", "success");
    assertEquals(1, RunReport.written(r.ctx, 0));
    assertTrue(r.stderr().startsWith("error: Could not write step outputs"), r.stderr());
    assertFalse(r.stderr().contains("\tat "), r.stderr());
  }
}
