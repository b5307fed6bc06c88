package dev.flyover.fly;

/** One row of {@code flyctl ips list --json} (fly-go {@code IPAddress}: PascalCase {@code Type}, {@code Address}). */
public record IpAddress(String type, String address) {}
