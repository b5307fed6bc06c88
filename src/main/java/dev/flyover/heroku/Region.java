package dev.flyover.heroku;

/** A Heroku region ({@code GET /regions}): {@code providerRegion} is the cloud region it runs in (eu-west-1…). */
public record Region(String name, String description, String providerRegion, boolean privateCapable) {}
