package dev.flyover.fly;

import java.util.List;

/** A machine in {@code flyctl status --json} (flaps' machine JSON: snake_case, as fly-go machine_types.go tags it). */
public record Machine(String id, String processGroup, String region, String state, String releaseVersion,
    List<Check> checks) {
  /** One health check's name and status ({@code passing}, {@code warning}, {@code critical}). */
  public record Check(String name, String status) {}
}
