package dev.flyover.fly;

import java.util.List;

/**
 * A certificate's DNS requirements as {@code flyctl certs add|show --json} prints them (internal/command/certificates,
 * fly-go flaps {@code CertificateDetailResponse}: snake_case {@code dns_requirements} with {@code a}, {@code aaaa},
 * {@code cname}, {@code acme_challenge.name/target}).
 */
public record Certificate(String hostname, List<String> a, List<String> aaaa, String cname, String acmeName,
    String acmeTarget) {}
