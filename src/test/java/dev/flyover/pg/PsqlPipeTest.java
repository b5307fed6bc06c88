package dev.flyover.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The row counter that gates the pipe's commit, fed the COPY formats in every possible split. */
class PsqlPipeTest {
  /** A binary COPY stream (PostgreSQL 15 docs, COPY "Binary Format"): header, rows, trailer. */
  static byte[] binary(boolean trailer, int extensionBytes, byte[][]... rows) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
    d.writeInt(0);
    d.writeInt(extensionBytes);
    d.write(new byte[extensionBytes]);
    for (byte[][] row : rows) {
      d.writeShort(row.length);
      for (byte[] field : row) {
        if (field == null) {
          d.writeInt(-1);
        } else {
          d.writeInt(field.length);
          d.write(field);
        }
      }
    }
    if (trailer) d.writeShort(-1);
    return b.toByteArray();
  }

  static final byte[][] ROW_A = {"42".getBytes(StandardCharsets.UTF_8), null, new byte[0]};
  static final byte[][] ROW_B = {new byte[70_000]};
  static final byte[][] NO_COLUMNS = {};

  /** Feeds the stream in pieces of every size from 1 byte up, and whole. */
  static void each(byte[] stream, Supplier<PsqlPipe.RowCounter> make, long rows, boolean complete) {
    for (int piece : new int[] {1, 2, 3, 5, 7, 19, 64, 4096, stream.length}) {
      PsqlPipe.RowCounter c = make.get();
      long seen = 0;
      for (int i = 0; i < stream.length; i += piece) {
        byte[] part = Arrays.copyOfRange(stream, i, Math.min(stream.length, i + piece));
        seen += c.feed(part, part.length);
      }
      assertEquals(rows, c.rows(), "pieces of " + piece);
      assertEquals(rows, seen, "pieces of " + piece);
      assertEquals(complete, c.complete(), "pieces of " + piece);
    }
  }

  @Test
  void binaryRowsAreCountedWhateverTheSplit() throws IOException {
    each(binary(true, 0, ROW_A, ROW_B, NO_COLUMNS, ROW_A), PsqlPipe.RowCounter.Binary::new, 4, true);
    each(binary(true, 5, ROW_A), PsqlPipe.RowCounter.Binary::new, 1, true);
    each(binary(true, 0), PsqlPipe.RowCounter.Binary::new, 0, true);
  }

  @Test
  void aBinaryStreamCutShortIsIncomplete() throws IOException {
    byte[] whole = binary(true, 0, ROW_A, ROW_B, ROW_A);
    // Cut between rows (where the server would take the end of input as the end of data), and inside one.
    byte[] betweenRows = binary(false, 0, ROW_A, ROW_B);
    each(betweenRows, PsqlPipe.RowCounter.Binary::new, 2, false);
    each(Arrays.copyOf(whole, whole.length - 100), PsqlPipe.RowCounter.Binary::new, 2, false); // inside the big row
    each(Arrays.copyOf(whole, 10), PsqlPipe.RowCounter.Binary::new, 0, false);
  }

  @Test
  void bytesAfterTheBinaryTrailerMakeItIncomplete() throws IOException {
    byte[] whole = binary(true, 0, ROW_A);
    byte[] more = Arrays.copyOf(whole, whole.length + 2);
    each(more, PsqlPipe.RowCounter.Binary::new, 1, false);
  }

  @Test
  void textRowsEndInNewlines() {
    byte[] s = "1\tone\\nline\n2\t\\N\n3\t\n".getBytes(StandardCharsets.UTF_8);
    each(s, PsqlPipe.RowCounter.Text::new, 3, true);
    each(Arrays.copyOf(s, s.length - 1), PsqlPipe.RowCounter.Text::new, 2, false);
    each(new byte[0], PsqlPipe.RowCounter.Text::new, 0, true);
  }

  @Test
  void sessionSettingsReachPsqlEscaped() {
    String source = PgSession.pgOptions(PgSession.Side.SOURCE);
    assertTrue(source.contains("-c DateStyle=ISO,\\ MDY"), source);
    assertTrue(source.contains("-c row_security=off"), source);
    assertTrue(source.endsWith(" -c default_transaction_read_only=on"), source);
    assertFalse(PgSession.pgOptions(PgSession.Side.TARGET).contains("read_only"));
  }
}
