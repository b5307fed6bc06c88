package dev.flyover.fly;

/** One row of {@code flyctl secrets list --json} (fly-go {@code AppSecret}: {@code name}, {@code digest}, {@code status}). */
public record SecretInfo(String name, String digest, String status) {}
