package dev.flyover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.testing.CliHarness;
import org.junit.jupiter.api.Test;

/** Issue 9, part 6: jobs has an upper bound, checked before any database is contacted. */
class TransferOptionsTest {
  @Test
  void jobsOutsideOneToSixtyFourIsOneSentenceNamingTheOption() {
    for (String bad : new String[] {"0", "65", "100000"}) {
      // Unreachable URLs: the check must come first, so no connection is even tried.
      CliHarness.Result r = new CliHarness().env("HEROKU_DATABASE_URL", "postgres://u:pw@127.0.0.1:1/src")
          .env("FLY_DATABASE_URL", "postgres://u:pw@127.0.0.1:1/dst").run("database", "--jobs=" + bad);
      assertEquals(1, r.exitCode(), r.stderr());
      assertTrue(r.stderr().contains("The --jobs option is " + bad + ": give a number of workers from 1 to 64."), r.stderr());
      assertFalse(r.stderr().contains("connect"), r.stderr());
    }
  }
}
