package dev.flyover.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Heroku commands a team types every day and their Fly equivalents, filled in with this app's names, so
 * the first week on Fly does not start with a search. The console command depends on the framework, read from
 * the app's directory: Phoenix releases ({@code /app/bin/NAME remote}), Rails ({@code /rails/bin/rails console}),
 * Node ({@code node}).
 */
public final class CheatSheet {
  /** One line of the sheet. */
  public record Row(String heroku, String fly) {}

  private static final Pattern MIX_APP = Pattern.compile("\\bapp:\\s*:([a-z_][a-z0-9_]*)");

  private CheatSheet() {}

  /** The sheet for {@code app}; {@code previousImage} fills in the rollback line when known. */
  public static List<Row> rows(String app, Path directory, Optional<String> previousImage) {
    String a = " -a " + app;
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("heroku logs --tail", "fly logs" + a));
    rows.add(new Row("heroku ps", "fly status" + a));
    rows.add(new Row("heroku releases", "fly releases" + a));
    rows.add(new Row("heroku rollback", "fly deploy" + a + " --image " + previousImage.orElse("<previous image>")));
    rows.add(new Row("heroku run bash", "fly ssh console" + a));
    console(app, directory).ifPresent(r -> rows.add(r));
    rows.add(new Row("heroku config", "fly secrets list" + a));
    rows.add(new Row("heroku config:set NAME=value", "fly secrets set NAME=value" + a));
    rows.add(new Row("heroku ps:scale web=2", "fly scale count 2" + a));
    rows.add(new Row("heroku ps:restart", "fly apps restart " + app));
    rows.add(new Row("heroku pg:psql", "fly postgres connect -a <postgres app>"));
    rows.add(new Row("heroku domains:add www.example.com", "fly certs add www.example.com" + a));
    rows.add(new Row("heroku open", "fly apps open" + a));
    return rows;
  }

  private static Optional<Row> console(String app, Path dir) {
    String a = " -a " + app;
    Path mix = dir.resolve("mix.exs");
    if (Files.isRegularFile(mix)) {
      String release = app.replace('-', '_');
      try {
        Matcher m = MIX_APP.matcher(Files.readString(mix));
        if (m.find()) release = m.group(1);
      } catch (IOException | RuntimeException ignored) {
        // unreadable mix.exs: the app name is the usual release name
      }
      return Optional.of(new Row("heroku run iex -S mix", "fly ssh console --pty -C \"/app/bin/" + release + " remote\"" + a));
    }
    if (Files.isRegularFile(dir.resolve("Gemfile")) || Files.isRegularFile(dir.resolve("config/application.rb"))) {
      return Optional.of(new Row("heroku run rails console", "fly ssh console --pty -C \"/rails/bin/rails console\"" + a));
    }
    if (Files.isRegularFile(dir.resolve("package.json"))) {
      return Optional.of(new Row("heroku run node", "fly ssh console --pty -C \"node\"" + a));
    }
    return Optional.empty();
  }
}
