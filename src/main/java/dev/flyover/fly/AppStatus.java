package dev.flyover.fly;

import java.util.List;

/**
 * {@code flyctl status --json} (internal/command/status, fly-go types.go {@code AppCompact}): the hostname, the
 * organization the app lives in ({@code Organization.Slug}) and its machines.
 */
public record AppStatus(String name, String hostname, String orgSlug, List<Machine> machines) {}
