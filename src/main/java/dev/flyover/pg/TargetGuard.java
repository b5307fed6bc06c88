package dev.flyover.pg;

import dev.flyover.UserError;
import dev.flyover.actions.Console;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a run may do to its target, decided once by {@link SourceTargetCheck} before anything is written:
 * <ul>
 *   <li>the source itself: refused, whatever {@code overwrite} says;
 *   <li>proven another database: the usual rules (empty, or {@code overwrite: true} to drop what it holds);
 *   <li>not proven either way: nothing is ever dropped or cleaned, {@code overwrite} is not acted on, and the copy
 *       goes on only into a target with no tables, views, sequences or large objects. If such a target were the
 *       source after all, the source holds nothing a copy could lose, and pg_restore stops on the first object that
 *       exists already.
 * </ul>
 * {@code overwrite: true} is suggested only when the run proved the target is another database.
 */
public final class TargetGuard {
  private final SourceTargetCheck.Result proof;
  private final UnaryOperator<String> name;

  private TargetGuard(SourceTargetCheck.Result proof, UnaryOperator<String> name) {
    this.proof = proof;
    this.name = name;
  }

  /**
   * Proves on the run's own sessions, logs the verdict, and refuses the source itself. {@code name} spells an input
   * as the current surface does; {@code sourceInput} is the input that named the source.
   */
  public static TargetGuard prove(Connection source, Connection target, Console console, UnaryOperator<String> name,
      String sourceInput) throws SQLException {
    SourceTargetCheck.Result r = SourceTargetCheck.prove(source, target);
    r.refuseIfSame(name, sourceInput);
    if (r.verdict() == SourceTargetCheck.Verdict.INCONCLUSIVE) {
      console.warn("flyover " + r.describe() + ": it will drop nothing on the target and copy only into an empty database.");
    } else {
      console.info(r.describe());
    }
    return new TargetGuard(r, name);
  }

  /**
   * The whole preflight for a caller without sessions of its own (remote mode): opens a read-only source session
   * and a target session, proves source ≠ target, applies the target's rule (empty, or overwrite on a proven other
   * database), closes both. The returned guard says whether the target may be cleaned ({@link #mayClear}) and how
   * to recover after a failure ({@link #recovery}). Throws one-sentence {@link UserError}s; nothing is written.
   */
  public static TargetGuard preflight(PgUrl source, PgUrl target, boolean overwrite, Console console,
      UnaryOperator<String> name, String sourceInput, String targetInput) {
    try (Connection s = PgSession.open(source, PgSession.Side.SOURCE, sourceInput);
        Connection t = PgSession.open(target, PgSession.Side.TARGET, targetInput)) {
      TargetGuard g = prove(s, t, console, name, sourceInput);
      g.checkTarget(t, overwrite, target.describe());
      return g;
    } catch (SQLException e) {
      throw new UserError("Could not check " + name.apply(targetInput) + " against " + name.apply(sourceInput) + " ("
          + DatabaseTransfer.firstLine(e) + "): nothing was changed; check both URLs.", e);
    }
  }

  /** A guard for a verdict reached elsewhere (tests of the inconclusive rules). */
  static TargetGuard of(SourceTargetCheck.Result proof, UnaryOperator<String> name) {
    return new TargetGuard(proof, name);
  }

  public SourceTargetCheck.Result proof() {
    return proof;
  }

  public boolean provenDifferent() {
    return proof.provenDifferent();
  }

  /** The target's rule: empty, or (proven another database) overwrite on. {@code where} is its host:port/db. */
  public void checkTarget(Connection target, boolean overwrite, String where) throws SQLException {
    List<String> existing = provenDifferent() ? Catalog.userRelations(target) : strictContents(target);
    if (existing.isEmpty()) return;
    String list = String.join(", ", existing.subList(0, Math.min(3, existing.size()))) + (existing.size() > 3 ? ", …" : "");
    if (!provenDifferent()) {
      throw new UserError("The target database " + where + " already holds " + existing.size() + " objects (" + list
          + ") and flyover could not prove it is not the source (" + proof.reason() + "), so it drops nothing there:"
          + " point " + name.apply("database-url") + " at an empty database.");
    }
    if (!overwrite) {
      throw new UserError("The target database " + where + " already holds " + existing.size() + " tables or views ("
          + list + "): point " + name.apply("database-url") + " at an empty database, or set "
          + overwriteOn() + " to drop them.");
    }
  }

  /**
   * Objects outside schemas that the target user made (publications, foreign servers…): a target holding them is
   * not empty either, and the restore would fail on the first. Platform objects it may not drop are not counted.
   */
  void checkOutsideSchemas(List<Overwrite.Item> items, String where) {
    List<String> outside = new java.util.ArrayList<>();
    for (Overwrite.Item i : items) {
      if (i.allowed() && !i.label().startsWith("schema ") && !i.label().startsWith("extension ")) outside.add(i.label());
    }
    if (outside.isEmpty()) return;
    throw new UserError("The target database " + where + " already holds " + String.join(", ", outside) + ": point "
        + name.apply("database-url") + " at an empty database" + (provenDifferent() ? ", or set " + overwriteOn() + " to drop "
        + (outside.size() == 1 ? "it." : "them.") : "."));
  }

  /** An input as the current surface spells it. */
  String spell(String input) {
    return name.apply(input);
  }

  /** Whether the run may drop what the target holds: only with overwrite, and only on another database. */
  public boolean mayClear(boolean overwrite) {
    return overwrite && provenDifferent();
  }

  /** Called where the drop happens, so no later path can reach it without the proof. */
  public void requireDifferent() {
    if (!provenDifferent()) throw new IllegalStateException("refusing to drop on a target not proven to be another database");
  }

  /** How to recover after a failure left the target incomplete. */
  public String recovery() {
    return provenDifferent() ? "drop and recreate it, or run again with " + overwriteOn() : "drop and recreate it";
  }

  /** {@code overwrite: true} in Actions, {@code --overwrite} in a terminal. */
  String overwriteOn() {
    String n = name.apply("overwrite");
    return n.equals("overwrite") ? "overwrite: true" : n;
  }

  /** Relations of any kind (sequences too) and large objects: what "empty" means when the proof is missing. */
  private static List<String> strictContents(Connection c) throws SQLException {
    List<String> out = new java.util.ArrayList<>(Catalog.userRelations(c));
    for (Catalog.Sequence s : Catalog.sequences(c)) out.add(s.display());
    long lo = Long.parseLong(Catalog.scalar(c, "SELECT count(*) FROM pg_catalog.pg_largeobject_metadata"));
    if (lo > 0) out.add(lo + " large objects");
    return out;
  }
}
