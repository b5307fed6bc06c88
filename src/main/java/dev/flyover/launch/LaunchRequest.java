package dev.flyover.launch;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One launch: the Heroku app to read, the Fly app and organization, the app's directory inside the repository,
 * and how to deliver (a pull request on {@code branch}, files in the working tree, or a dry run).
 */
public record LaunchRequest(String herokuApp, Optional<String> flyApp, Optional<String> org, boolean createApp,
    Path repoRoot, Path directory, String branch, boolean overwrite, boolean dryRun, Optional<String> githubToken,
    Optional<String> flyToken) {}
