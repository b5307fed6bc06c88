package dev.flyover.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** flyctl's parseDurationFlag: a Go duration, integer seconds, or none. */
class FlyDurationTest {
  @ParameterizedTest
  @ValueSource(strings = {"5m", "5m0s", "90s", "1h30m", "1.5h", ".5s", "300", "0", "none", "250ms", "+10s"})
  void accepted(String v) {
    assertTrue(FlyDuration.valid(v), v);
  }

  @ParameterizedTest
  @ValueSource(strings = {"5 minutes", "5min", "5M", "1d", "10.5", "", "m", "NONE", "5m 30s", "s10"})
  void refused(String v) {
    assertFalse(FlyDuration.valid(v), v);
  }
}
