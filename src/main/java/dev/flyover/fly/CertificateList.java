package dev.flyover.fly;

import java.util.List;

/**
 * {@code flyctl certs list --json}: at most 50 hostnames (internal/command/certificates/root.go asks flaps for
 * {@code Limit: 50}); {@code truncated} when flyctl said there are more, so a hostname missing here may still exist.
 */
public record CertificateList(List<String> hostnames, boolean truncated) {}
