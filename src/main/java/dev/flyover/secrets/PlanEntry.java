package dev.flyover.secrets;

/**
 * What happens to one config var.
 *
 * @param name the config var's name on Heroku
 * @param flyName the secret's name on Fly (differs when renamed)
 * @param reason why, in words for the summary (never a value)
 * @param route how the value travels when it moves
 */
public record PlanEntry(String name, String flyName, Action action, String reason, SecretEncoder.Route route) {
  public enum Action {
    /** Not on Fly yet: set. */
    NEW("new"),
    /** On Fly already: replaced (Fly cannot show its value to compare). */
    REPLACE("replace"),
    /** On Fly already and overwrite is false: left as it is. */
    KEEP("keep"),
    /** Left behind on purpose: a default exclusion, the exclude or include input. */
    EXCLUDED("excluded"),
    /** A name that cannot be an environment variable: skipped. */
    INVALID("invalid name"),
    /** A value no route carries exactly: the run stops before changing anything. */
    REFUSED("refused");

    private final String label;

    Action(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public boolean moves() {
    return action == Action.NEW || action == Action.REPLACE;
  }
}
