package dev.flyover.heroku;

/**
 * An add-on attached to an app under a name: attachment {@code DATABASE} of add-on {@code postgresql-curved-12345}
 * gives the app {@code DATABASE_URL}. Every config var an attachment sets starts with {@link #configVarPrefix()}.
 */
public record AddonAttachment(String id, String name, String addonId, String addonName, String addonApp, String app) {
  public String configVarPrefix() {
    return name + "_";
  }
}
