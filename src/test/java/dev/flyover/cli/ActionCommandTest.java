package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.ActionHarness;
import dev.flyover.testing.WorkflowCommands;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionCommandTest {
  @Test
  void unknownCommandIsOneClearSentenceAndAFailedStatus() {
    ActionHarness.Result r = new ActionHarness().input("command", "deplo").run();
    assertEquals(1, r.exitCode());
    List<String> errors = r.commands().errors();
    assertEquals(1, errors.size(), r.stdout());
    assertTrue(errors.get(0).startsWith("The command input is 'deplo'"), errors.get(0));
    assertEquals("failure", r.outputs().get("status"));
    assertFalse(r.everything().contains("at dev.flyover"), "no stack trace without debug");
  }

  @Test
  void secretInputsAreMaskedBeforeAnythingElseIsPrinted() {
    ActionHarness.Result r = new ActionHarness()
        .input("command", "nope")
        .input("fly-api-token", "FlyV1 fm2_secret-token")
        .input("database-url", "postgres://u:pa%24%24@h/db")
        .run();
    WorkflowCommands cmds = r.commands();
    int firstOther = -1;
    for (int i = 0; i < cmds.commands().size(); i++) {
      if (!cmds.commands().get(i).name().equals("add-mask")) {
        firstOther = i;
        break;
      }
    }
    assertTrue(cmds.masks().containsAll(List.of("FlyV1 fm2_secret-token", "pa%24%24", "pa$$")), cmds.masks().toString());
    assertEquals(cmds.masks().size(), firstOther, "masks come first");
    String rest = r.stdout().replaceAll("(?m)^::add-mask::.*$", "");
    assertFalse(rest.contains("fm2_secret-token"));
  }
}
