package dev.flyover.cutover;

/** One DNS record the team sets at its DNS provider to send a custom domain to Fly. */
public record DnsRecord(String hostname, String type, String name, String value, String why) {}
