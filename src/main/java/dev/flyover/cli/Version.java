package dev.flyover.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest (set by Maven), so there is one place to bump it. */
final class Version implements IVersionProvider {
  static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"flyover " + current()};
  }
}
