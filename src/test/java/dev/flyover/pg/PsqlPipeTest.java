package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the psql children of the data path are given. */
class PsqlPipeTest {
  @Test
  void sessionSettingsReachPsqlEscaped() {
    String source = PgSession.pgOptions(PgSession.Side.SOURCE);
    assertTrue(source.contains("-c DateStyle=ISO,\\ MDY"), source);
    assertTrue(source.contains("-c row_security=off"), source);
    assertTrue(source.endsWith(" -c default_transaction_read_only=on"), source);
    assertFalse(PgSession.pgOptions(PgSession.Side.TARGET).contains("read_only"));
  }
}
