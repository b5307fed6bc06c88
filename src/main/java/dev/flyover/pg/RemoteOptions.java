package dev.flyover.pg;

import dev.flyover.Env;
import dev.flyover.UserError;
import dev.flyover.fly.Machines;
import java.util.Optional;

/**
 * How {@code transfer-mode: remote} sizes and names its one-off Machine. {@code jobs} is only what the user set:
 * unset, the machine uses its own CPU count, not the runner's. {@code image} is flyover's own image, the one the
 * action runs; {@code FLYOVER_TRANSFER_IMAGE} overrides it (a fork's image, or one pinned by digest).
 */
public record RemoteOptions(String vmSize, Optional<Integer> jobs, String image) {
  public static final String DEFAULT_VM_SIZE = "performance-2x";
  public static final String IMAGE_ENV = "FLYOVER_TRANSFER_IMAGE";

  /**
   * Checks the size against fly-go's presets before anything runs, so a typo fails first and in one sentence.
   * {@code inputName}: the transfer-vm-size input as the surface names it (Context#named).
   */
  public static RemoteOptions of(Env env, String vmSize, Optional<Integer> jobs, String inputName) {
    String size = vmSize == null || vmSize.isBlank() ? DEFAULT_VM_SIZE : vmSize.strip();
    if (!Machines.VM_SIZES.contains(size)) {
      throw new UserError("The " + inputName + " is " + size + ", which is not a Fly Machine size: use one of "
          + String.join(", ", Machines.VM_SIZES) + ".");
    }
    return new RemoteOptions(size, jobs, env.get(IMAGE_ENV).map(String::strip).orElse(defaultImage()));
  }

  /** The image of this very flyover release (action.yml's runs.image names the same one). */
  public static String defaultImage() {
    String v = RemoteOptions.class.getPackage().getImplementationVersion();
    return "ghcr.io/flyover/flyover:" + (v == null ? "dev" : "v" + v);
  }

  static RemoteOptions defaults(Env env) {
    return of(env, DEFAULT_VM_SIZE, Optional.empty(), "transfer-vm-size input");
  }
}
