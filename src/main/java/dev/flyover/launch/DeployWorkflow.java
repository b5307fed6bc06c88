package dev.flyover.launch;

import java.util.Optional;

/**
 * The workflow that replaces {@code git push heroku}: flyover's deploy on every push to the default branch. Only
 * flyover's own words and checked values go in (the app name is a Heroku/Fly name, the path a route flyover
 * found), and each is quoted as a YAML string.
 */
final class DeployWorkflow {
  private DeployWorkflow() {}

  static String text(String app, Optional<String> healthPath, Optional<String> workingDirectory, String branch) {
    StringBuilder sb = new StringBuilder();
    sb.append("""
        # Deploy to Fly.io on every push to BRANCH, written by flyover launch. It replaces `git push heroku`:
        # flyctl deploy, then proof that the new release serves (release, image, machine checks, HTTP check),
        # and a rollback if it does not.
        # Needs the repository secret FLY_API_TOKEN: `fly tokens create deploy -a APP`.
        name: Deploy to Fly.io

        on:
          push:
            branches: [BRANCH]
          workflow_dispatch:

        permissions:
          contents: read
          deployments: write

        concurrency:
          group: fly-deploy
          cancel-in-progress: false

        jobs:
          deploy:
            runs-on: ubuntu-latest
            timeout-minutes: 30
            steps:
              - uses: actions/checkout@v4
              - name: Deploy to Fly.io
                uses: flyover/flyover@v1
                with:
                  fly-api-token: ${{ secrets.FLY_API_TOKEN }}
        """.replace("APP", app).replace("BRANCH", yaml(branch)));
    sb.append("          fly-app: ").append(yaml(app)).append('\n');
    workingDirectory.filter(w -> !w.isBlank() && !w.equals(".")).ifPresent(w -> sb.append("          working-directory: ").append(yaml(w)).append('\n'));
    sb.append("          health-check-path: ").append(yaml(healthPath.orElse("/"))).append('\n');
    sb.append("          rollback: true\n");
    return sb.toString();
  }

  /** A double-quoted YAML scalar. */
  static String yaml(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c < 0x20 ? ' ' : c);
      }
    }
    return sb.append('"').toString();
  }
}
