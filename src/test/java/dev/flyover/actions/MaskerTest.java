package dev.flyover.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.flyover.testing.WorkflowCommands;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskerTest {
  @Test
  void multiLineSecretsAreMaskedWholeAndLineByLine() {
    List<String> lines = new ArrayList<>();
    Masker m = new Masker(true, lines::add);
    String pem = "-----BEGIN KEY-----\r\nMIIBAAA%\n-----END KEY-----\n";
    m.add(pem);
    List<String> masks = WorkflowCommands.parse(String.join("\n", lines)).masks();
    assertEquals(List.of(pem, "-----BEGIN KEY-----", "MIIBAAA%", "-----END KEY-----"), masks);
    for (String l : lines) assertFalse(l.contains("\n"), "one command per line");
    assertEquals("key: ***", m.redact("key: MIIBAAA%"));
  }

  @Test
  void blankValuesAreNotRegisteredAndLongerValuesWin() {
    List<String> lines = new ArrayList<>();
    Masker m = new Masker(true, lines::add);
    m.add("  ");
    m.add("abc");
    m.add("abcdef");
    assertEquals(2, lines.size());
    assertEquals("x *** y", m.redact("x abcdef y"));
  }
}
