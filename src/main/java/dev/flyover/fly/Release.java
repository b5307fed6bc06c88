package dev.flyover.fly;

/**
 * A release as {@code flyctl releases --json} lists it (fly-go types.go {@code Release}: PascalCase, no JSON tags).
 * Only what fly-go resource_releases.go queries is here: {@code Metadata}, {@code InProgress} and
 * {@code DeploymentStrategy} are never fetched, so they are always null, false and empty (fly-go v0.9.6).
 */
public record Release(int version, String status, String imageRef, String description) {}
