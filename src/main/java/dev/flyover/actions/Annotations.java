package dev.flyover.actions;

/** Escaping for workflow commands, as the runner unescapes them (data: % CR LF; properties also : and ,). */
public final class Annotations {
  private Annotations() {}

  public static String escapeData(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  public static String escapeProperty(String s) {
    return escapeData(s).replace(":", "%3A").replace(",", "%2C");
  }

  /** {@code ::error title=...::message} (title left out when blank, as the runner drops empty properties). */
  public static String command(String name, String title, String message) {
    String props = title == null || title.isBlank() ? "" : " title=" + escapeProperty(title);
    return "::" + name + props + "::" + escapeData(message);
  }
}
