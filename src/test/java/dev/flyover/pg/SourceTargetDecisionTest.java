package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flyover.UserError;
import dev.flyover.pg.SourceTargetCheck.Identity;
import dev.flyover.pg.SourceTargetCheck.Seen;
import dev.flyover.pg.SourceTargetCheck.Verdict;
import org.junit.jupiter.api.Test;

/** The rule that turns what both servers report into a verdict, case by case (no server needed). */
class SourceTargetDecisionTest {
  static final String T0 = "2026-12-01T10:00:00.000001Z";
  static final String T1 = "2026-12-01T11:30:00.123456Z";

  static Identity id(String sysid, String start, boolean recovery, long oid) {
    return new Identity(sysid, start, recovery, oid, "db" + oid, "10.0.0.1", 5432, 42);
  }

  @Test
  void aSightingInTheTargetsOwnDatabaseIsTheSameDatabaseWhateverElseDiffers() {
    // Addresses, OIDs reported by a proxy, identifiers: the sighting decides.
    var r = SourceTargetCheck.decide(id(null, T0, false, 1), id(null, T0, false, 1), Seen.SAME_DATABASE);
    assertEquals(Verdict.SAME, r.verdict());
  }

  @Test
  void aSightingInAnotherDatabaseOfTheClusterIsDifferent() {
    var r = SourceTargetCheck.decide(id("7", T0, false, 16384), id("7", T0, false, 16390), Seen.OTHER_DATABASE);
    assertEquals(Verdict.DIFFERENT, r.verdict());
    assertTrue(r.reason().contains("one server, two databases"), r.reason());
  }

  @Test
  void differentSystemIdentifiersAreDifferentClusters() {
    var r = SourceTargetCheck.decide(id("1", T0, true, 5), id("2", T1, false, 5), Seen.NOT_SEEN);
    assertEquals(Verdict.DIFFERENT, r.verdict());
  }

  @Test
  void oneRunningServerAndOneDatabaseOidIsTheSameEvenUnseen() {
    // A pooler that rewrites application_name hides the sessions; the server and OID still match.
    assertEquals(Verdict.SAME, SourceTargetCheck.decide(id(null, T0, false, 5), id(null, T0, false, 5), Seen.NOT_SEEN).verdict());
    assertEquals(Verdict.SAME, SourceTargetCheck.decide(id("9", T0, false, 5), id("9", T0, false, 5), Seen.NOT_SEEN).verdict());
    assertEquals(Verdict.DIFFERENT, SourceTargetCheck.decide(id(null, T0, false, 5), id(null, T0, false, 6), Seen.NOT_SEEN).verdict());
  }

  @Test
  void aStandbyOrCopyOfOneClusterIsInconclusive() {
    // Same identifier on two running servers: a standby or a base-backup copy; which one cannot be told here.
    assertEquals(Verdict.INCONCLUSIVE, SourceTargetCheck.decide(id("9", T0, true, 5), id("9", T1, false, 5), Seen.NOT_SEEN).verdict());
    assertEquals(Verdict.INCONCLUSIVE, SourceTargetCheck.decide(id("9", T0, false, 5), id("9", T1, false, 5), Seen.NOT_SEEN).verdict());
    // Identifiers unreadable and a standby on either side: it may replicate from the other.
    assertEquals(Verdict.INCONCLUSIVE, SourceTargetCheck.decide(id(null, T0, true, 5), id(null, T1, false, 5), Seen.NOT_SEEN).verdict());
    assertEquals(Verdict.INCONCLUSIVE, SourceTargetCheck.decide(id("1", T0, false, 5), id(null, T1, true, 5), Seen.NOT_SEEN).verdict());
  }

  @Test
  void twoPrimariesOfTwoRunningServersAreDifferent() {
    // Heroku to Fly with pg_control_system() revoked: two postmasters, neither in recovery.
    assertEquals(Verdict.DIFFERENT, SourceTargetCheck.decide(id(null, T0, false, 5), id("3", T1, false, 5), Seen.NOT_SEEN).verdict());
  }

  @Test
  void theSameVerdictNamesBothInputsAsTheSurfaceSpellsThemAndNeverSuggestsOverwrite() {
    var r = SourceTargetCheck.decide(id(null, T0, false, 5), id(null, T0, false, 5), Seen.SAME_DATABASE);
    UserError action = assertThrows(UserError.class, () -> r.refuseIfSame(n -> n, "heroku-database-url"));
    assertTrue(action.getMessage().startsWith("The database-url target is the source database itself"), action.getMessage());
    assertTrue(action.getMessage().contains("heroku-database-url"), action.getMessage());
    assertFalse(action.getMessage().contains("overwrite"), action.getMessage());
    UserError cli = assertThrows(UserError.class, () -> r.refuseIfSame(n -> "--" + n, "heroku-database-url"));
    assertTrue(cli.getMessage().contains("--database-url") && cli.getMessage().contains("--heroku-database-url"), cli.getMessage());
    // Exactly one sentence.
    assertEquals(1, cli.getMessage().split("\\. ").length, cli.getMessage());
  }
}
