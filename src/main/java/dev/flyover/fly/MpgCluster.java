package dev.flyover.fly;

/**
 * A Managed Postgres cluster as {@code fly mpg list --json} prints it (internal/uiex/mpg/v2/client.go
 * {@code ManagedCluster}: {@code id}, {@code name}, {@code status}, {@code region}, {@code organization.Slug}, fly-go's
 * Organization having no json tags).
 */
public record MpgCluster(String id, String name, String status, String region, String orgSlug) {}
