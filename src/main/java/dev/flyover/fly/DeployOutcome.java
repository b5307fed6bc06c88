package dev.flyover.fly;

import dev.flyover.proc.Subprocess;
import java.util.Optional;

/**
 * What one {@code flyctl deploy} left: its result, the failure if it exited non-zero (kept, not thrown, so Fly's own
 * record can be read first), the image it built ({@code image: …} on stderr), the release it emitted with
 * {@code FLY_EMIT_RELEASE_JSON} (internal/command/deploy/machines_deploymachinesapp.go, one line
 * {@code {"id":…,"version":N,"image_ref":…}} on stdout since v0.4.56), and flyctl's warning when it could not mark
 * the release final after a good deploy (same file: it warns, exits 0, and the release stays {@code running}).
 */
public record DeployOutcome(Subprocess.Result result, Optional<FlyctlException> failure, Optional<String> builtImage,
    Optional<Integer> emittedVersion, Optional<String> emittedImage, Optional<String> finalStatusWarning) {}
