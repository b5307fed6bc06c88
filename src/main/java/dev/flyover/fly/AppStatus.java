package dev.flyover.fly;

import java.util.List;
import java.util.Optional;

/**
 * {@code flyctl status --json} (internal/command/status, fly-go types.go {@code AppCompact}): the hostname, the
 * organization the app lives in ({@code Organization.Slug}), its machines, and its custom private network
 * ({@code Network}, only present when it has one: status/machines.go renderMachineJSONStatus).
 */
public record AppStatus(String name, String hostname, String orgSlug, List<Machine> machines, Optional<String> network) {
  public AppStatus(String name, String hostname, String orgSlug, List<Machine> machines) {
    this(name, hostname, orgSlug, machines, Optional.empty());
  }
}
