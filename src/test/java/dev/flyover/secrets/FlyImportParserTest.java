package dev.flyover.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class FlyImportParserTest {
  private static Map<String, String> parse(String s) {
    FlyImportParser.Result r = FlyImportParser.parse(s.getBytes(StandardCharsets.UTF_8));
    Map<String, String> out = new LinkedHashMap<>();
    r.secrets().forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void flyctlsOwnTestCases() {
    assertEquals(Map.of("FOO", "BAR BAZ"), parse("FOO=\"BAR BAZ\" # comment\n"));
    assertEquals(Map.of("FOO", "BAR BAZ"), parse("FOO='BAR BAZ'\n"));
    assertEquals(Map.of("FOO", "BAR,BAZ"), parse("FOO=BAR,BAZ"));
    assertEquals(Map.of("FOO", "BAR"), parse("FOO = BAR\r\n"));
    assertEquals(Map.of("FOO", "a\n\nb"), parse("FOO=\"\"\"a\n\nb\"\"\"\n"));
    assertEquals(Map.of("E", ""), parse("E=\"\"\"\"\"\"\n"));
  }

  @Test
  void theHerokuPipeTrapsOfSectionC() {
    assertEquals("'s3cr", parse("K='s3cr#t'").get("K"));
    assertEquals("'https://x.io/p", parse("K='https://x.io/p#frag'").get("K"));
    assertEquals("'say \"hi\"", parse("K='say \"hi\" #1'").get("K"));
    assertEquals("-----BEGIN…\\nMIIB\\n-----END…", parse("K=\"-----BEGIN…\\nMIIB\\n-----END…\"").get("K"));
    assertEquals("it's \\$5\\!", parse("K=\"it's \\$5\\!\"").get("K"));
    assertEquals("export FOO", parse("export FOO=bar").keySet().iterator().next());
    assertEquals(Map.of(), parse(" # not a comment\n".replace("#", "")));
  }

  /** The README's table: what {@code heroku config -s | fly secrets import} stores. */
  @Test
  void theReadmePipeTable() {
    Map<String, String> heroku = new LinkedHashMap<>();
    heroku.put("A", "s3cr#t");
    heroku.put("B", "https://x.io/p#frag");
    heroku.put("C", "-----BEGIN KEY-----\nMIIB\n-----END KEY-----");
    heroku.put("D", "it's $5!");
    heroku.put("E", "O'Reilly \"x\"");
    heroku.put("F", "x".repeat(70_000));
    heroku.put("G", "after the long line");
    Map<String, String> fly = parse(SecretsCommandTest.herokuShell(heroku, false));
    assertEquals("'s3cr", fly.get("A"));
    assertEquals("'https://x.io/p", fly.get("B"));
    assertEquals("-----BEGIN KEY-----\\nMIIB\\n-----END KEY-----", fly.get("C"));
    assertEquals("it's \\$5\\!", fly.get("D"));
    assertEquals("O'Reilly \\\"x\\\"", fly.get("E"));
    assertEquals(List.of("A", "B", "C", "D", "E"), List.copyOf(fly.keySet()));
    assertEquals("a\\\\b c", parse(SecretsCommandTest.herokuShell(Map.of("L", "a\\b c"), true)).get("L"));
  }

  @Test
  void quirksEndTheInputOrCrash() {
    assertTrue(FlyImportParser.parse("A=\"\n".getBytes()).panics());
    assertTrue(FlyImportParser.parse("A='".getBytes()).panics());
    FlyImportParser.Result open = FlyImportParser.parse("A=1\nB=\"\"\"never\nclosed\n".getBytes());
    assertTrue(open.droppedUnclosed());
    assertEquals(List.of("A"), List.copyOf(open.secrets().keySet()));
    FlyImportParser.Result longLine = FlyImportParser.parse(("A=1\nB=" + "x".repeat(70_000) + "\nC=2\n").getBytes());
    assertTrue(longLine.stoppedAtLongLine());
    assertEquals(List.of("A"), List.copyOf(longLine.secrets().keySet()));
    assertTrue(FlyImportParser.parse("novalue\n".getBytes()).error().isPresent());
    assertFalse(FlyImportParser.parse("A=1\n".getBytes()).error().isPresent());
  }

  @Test
  void everyCorpusValueRoundTripsOrIsRefused() {
    Corpus.movable().forEach((k, v) -> {
      SecretEncoder.Encoding e = SecretEncoder.encode(k, v);
      assertTrue(e.route() != SecretEncoder.Route.NONE, k + ": " + e.why());
      if (e.route() == SecretEncoder.Route.IMPORT) {
        assertArrayEquals(v.getBytes(StandardCharsets.UTF_8),
            FlyImportParser.parse(SecretEncoder.stream(Map.of(k, e.importValue()))).secrets().get(k), k);
      } else {
        assertTrue(SecretEncoder.setStdinExact(v), k);
      }
    });
    Corpus.refused().forEach((k, v) -> assertEquals(SecretEncoder.Route.NONE, SecretEncoder.encode(k, v).route(), k));
    assertEquals(SecretEncoder.Route.SET_STDIN, SecretEncoder.encode("X", "a\"\"\"\nb\"\"\"\nc").route());
  }

  /** The Java model and the flyctl double's model agree on every tricky stream (the double is the reference). */
  @Test
  @Tag("integration") // runs python3 (the flyctl double's parser)
  void agreesWithTheDouble() throws Exception {
    List<String> streams = new ArrayList<>(List.of(
        "FOO=\"BAR BAZ\" # comment\n", "K='s3cr#t'\n", "A=\"\n", "A='\n", "A=\"\"\"x\ny\"\"\"\nB=2\n",
        "A=\"\"\"never closed\n", "A=\"\"\"\"\"\"\n", "  # x = y\n", "#c\n\n \nA = '  x  ' \n", "A=\"a\"#\"b\"\n",
        "X=1\nY=" + "z".repeat(65_534) + "\nZ=3\n", "X=1\nY=" + "z".repeat(65_533) + "\nZ=3\n", "A=\t\"q\"\n",
        "A=b\r\r\n", "noequals\n", "A=\"\"\"a\r\nb\"\"\"\n"));
    for (Map.Entry<String, String> e : Corpus.movable().entrySet()) {
      SecretEncoder.Encoding enc = SecretEncoder.encode(e.getKey(), e.getValue());
      if (enc.importValue() != null) streams.add(e.getKey() + "=" + enc.importValue() + "\n");
      streams.add(e.getKey() + "='" + e.getValue() + "'\n");
      streams.add(e.getKey() + "=\"" + e.getValue() + "\"\n");
    }
    ObjectMapper json = new ObjectMapper();
    Process p = new ProcessBuilder("python3", "src/test/doubles/flyctl/parse_import_stdin.py").start();
    p.getOutputStream().write(json.writeValueAsBytes(streams.stream()
        .map(x -> Base64.getEncoder().encodeToString(x.getBytes(StandardCharsets.UTF_8))).toList()));
    p.getOutputStream().close();
    JsonNode all = json.readTree(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor());
    for (int i = 0; i < streams.size(); i++) {
      String s = streams.get(i);
      JsonNode py = all.get(i);
      FlyImportParser.Result java = FlyImportParser.parse(s.getBytes(StandardCharsets.UTF_8));
      String shown = s.length() > 60 ? s.substring(0, 60) + "…" : s;
      assertEquals(py.path("panic").asBoolean(false), java.panics(), shown);
      assertEquals(py.path("error").asBoolean(false), java.error().isPresent(), shown);
      if (java.panics() || java.error().isPresent()) continue;
      Map<String, String> pyMap = new LinkedHashMap<>();
      py.path("secrets").fields().forEachRemaining(f -> pyMap.put(f.getKey(),
          new String(Base64.getDecoder().decode(f.getValue().asText()), StandardCharsets.UTF_8)));
      Map<String, String> javaMap = new LinkedHashMap<>();
      java.secrets().forEach((k, v) -> javaMap.put(k, new String(v, StandardCharsets.UTF_8)));
      assertEquals(pyMap, javaMap, shown);
    }
  }
}
