package dev.flyover.testing;

import java.util.List;

/**
 * Text a third party controls (a config var or table name, a build line), written so that the Actions runner
 * (see {@link RunnerCommandParser}) would obey it if printed as it is. Every forged command's data is
 * {@code FORGED<n>}, which {@link WorkflowCommands#forged()} looks for.
 */
public final class Hostile {
  private Hostile() {}

  /** Each is one name or one line of output. */
  public static final List<String> TEXT = List.of(
      "\u00A0::set-output name=x::FORGED1",          // non-breaking space: .NET TrimStart removes it
      "a\n::error::FORGED2",                          // LF inside one message
      "b\r::warning::FORGED3",                        // CR alone ends a line for StreamReader.ReadLine
      "x##[error]FORGED4",                            // v1 anywhere in the line
      "\u2003::add-mask::FORGED5",                    // em space
      "##[set-output name=y;]FORGED6",
      "\u3000::save-state name=s::FORGED7",           // ideographic space
      "::stop-commands::abc",                         // would stop flyover's own commands...
      "c\n::ABC::",                                   // ...and this would resume them
      "\u202F::notice::FORGED8");

  /** The same as names a Heroku config var or a PostgreSQL table could have (no line breaks there). */
  public static final List<String> NAMES = List.of(
      "\u00A0::set-output name=x::FORGED1",
      "x##[error]FORGED4",
      "\u2003::add-mask::FORGED5",
      "\u3000::save-state name=s::FORGED7",
      "::stop-commands::abc",
      "\u202F::notice::FORGED8");
}
