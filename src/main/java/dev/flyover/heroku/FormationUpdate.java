package dev.flyover.heroku;

import java.util.Objects;

/**
 * One entry of a batch formation change. A null quantity or size leaves that part as it is.
 *
 * @param size a dyno size name such as {@code Standard-1X}, {@code Basic} or {@code Eco}
 */
public record FormationUpdate(String type, Integer quantity, String size) {
  public FormationUpdate {
    Objects.requireNonNull(type, "type");
    if (quantity != null && quantity < 0) throw new IllegalArgumentException("quantity must be >= 0");
  }

  public static FormationUpdate quantity(String type, int quantity) {
    return new FormationUpdate(type, quantity, null);
  }
}
