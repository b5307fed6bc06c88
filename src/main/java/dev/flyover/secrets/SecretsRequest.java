package dev.flyover.secrets;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to move. The source is {@code fromFile} when present, else the Heroku app through the API. Lists are the
 * inputs' lines: include/exclude globs, rename {@code OLD=NEW} lines.
 *
 * @param overwrite replace secrets already on Fly (their values cannot be read back to compare)
 * @param stage set the secrets without restarting the app (the next deploy applies them)
 */
public record SecretsRequest(Optional<String> herokuApp, Optional<Path> fromFile, String flyApp, List<String> include,
    List<String> exclude, List<String> rename, boolean overwrite, boolean dryRun, boolean stage) {
  public SecretsRequest {
    Objects.requireNonNull(flyApp, "flyApp");
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    rename = List.copyOf(rename);
    if (herokuApp.isEmpty() && fromFile.isEmpty()) throw new IllegalArgumentException("no source");
  }

  /** All config vars of a Heroku app to a Fly app, staged, replacing what is there: the cutover's call. */
  public static SecretsRequest fromHeroku(String herokuApp, String flyApp) {
    return new SecretsRequest(Optional.of(herokuApp), Optional.empty(), flyApp, List.of(), List.of(), List.of(), true,
        false, true);
  }

  public SecretsRequest withFilters(List<String> include, List<String> exclude, List<String> rename) {
    return new SecretsRequest(herokuApp, fromFile, flyApp, include, exclude, rename, overwrite, dryRun, stage);
  }

  public SecretsRequest withOverwrite(boolean v) {
    return new SecretsRequest(herokuApp, fromFile, flyApp, include, exclude, rename, v, dryRun, stage);
  }

  public SecretsRequest withDryRun(boolean v) {
    return new SecretsRequest(herokuApp, fromFile, flyApp, include, exclude, rename, overwrite, v, stage);
  }

  public SecretsRequest withStage(boolean v) {
    return new SecretsRequest(herokuApp, fromFile, flyApp, include, exclude, rename, overwrite, dryRun, v);
  }
}
