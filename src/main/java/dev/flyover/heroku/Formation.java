package dev.flyover.heroku;

/** One process type of a Heroku app's formation: {@code web} × 2 of {@code Standard-1X}. */
public record Formation(String id, String type, int quantity, String size, String command) {}
