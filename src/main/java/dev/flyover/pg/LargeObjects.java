package dev.flyover.pg;

import dev.flyover.actions.Console;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Phase: large objects. A schema-only dump has none of them (PostgreSQL 15 {@code pg_dump.c}: blobs are dumped
 * only with data), so parallel mode creates each with its OID, copies its bytes and its comment ({@code COMMENT
 * ON LARGE OBJECT}, which apps use as a file name); privileges on them are the privileges phase's. Read on the
 * source snapshot; the OIDs stay the same, so the {@code oid} columns that point at them stay right.
 */
final class LargeObjects {
  private LargeObjects() {}

  /** Copies every large object and its comment; returns how many. */
  static int copy(Connection source, Connection target, Console console, Stopper stopper) throws SQLException {
    List<Long> oids = Catalog.largeObjects(source);
    if (oids.isEmpty()) return 0;
    try (PreparedStatement read = source.prepareStatement("SELECT pg_catalog.lo_get(?::oid)");
        PreparedStatement create = target.prepareStatement(
            "SELECT pg_catalog.lo_create(?::oid) WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_largeobject_metadata WHERE oid = ?::oid)");
        PreparedStatement write = target.prepareStatement("SELECT pg_catalog.lo_put(?::oid, 0, ?)")) {
      for (long oid : oids) {
        stopper.check();
        read.setLong(1, oid);
        byte[] data;
        try (ResultSet rs = read.executeQuery()) {
          rs.next();
          data = rs.getBytes(1);
        }
        create.setLong(1, oid);
        create.setLong(2, oid);
        create.execute();
        if (data.length > 0) {
          write.setLong(1, oid);
          write.setBytes(2, data);
          write.execute();
        }
      }
    }
    Map<Long, String> comments = comments(source);
    try (Statement st = target.createStatement()) {
      for (Map.Entry<Long, String> c : comments.entrySet()) {
        st.execute("COMMENT ON LARGE OBJECT " + c.getKey() + " IS " + PgSession.literal(c.getValue()));
      }
    }
    console.info("copied " + Progress.count(oids.size(), "large object", "large objects") + (comments.isEmpty() ? "" : " (" + comments.size() + " with comments)"));
    return oids.size();
  }

  /** Each commented large object's comment, by OID. */
  static Map<Long, String> comments(Connection c) throws SQLException {
    Map<Long, String> out = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT d.objoid, d.description"
        + " FROM pg_catalog.pg_description d WHERE d.classoid = 'pg_catalog.pg_largeobject'::regclass")) {
      while (rs.next()) out.put(rs.getLong(1), rs.getString(2));
    }
    return out;
  }
}
