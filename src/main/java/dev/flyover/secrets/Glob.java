package dev.flyover.secrets;

import java.util.regex.Pattern;

/** A name pattern from the include/exclude inputs: {@code *} any run of characters, {@code ?} one; case-sensitive. */
public record Glob(String text, Pattern pattern) {
  public static Glob of(String text) {
    StringBuilder re = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new Glob(text, Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  public boolean matches(String name) {
    return pattern.matcher(name).matches();
  }

  /** No wildcard: the user named this one variable. */
  public boolean literal() {
    return text.indexOf('*') < 0 && text.indexOf('?') < 0;
  }
}
