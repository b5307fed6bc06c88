package dev.flyover.secrets;

import java.util.LinkedHashMap;
import java.util.Map;

/** Config-var values that break the {@code heroku config -s | fly secrets import} pipe, and ordinary ones. */
public final class Corpus {
  private Corpus() {}

  public static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\n"
      + "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
      + "KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm\n"
      + "o3qGy0t6z09AIJtH+5OeRV1be+N4cDYJKffGzDa88vQENZiRm0GRq6a+HPGQMd2k\n"
      + "-----END RSA PRIVATE KEY-----\n";

  /** Every var here must arrive byte-identical (the ones that cannot are in {@link #refused()}). */
  public static Map<String, String> movable() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HASH_PASSWORD", "s3cr#t-canary-hash");
    m.put("URL_FRAGMENT", "https://canary.example/p?x=1#frag");
    m.put("QUOTED_HASH", "say \"hi\" #1 canary");
    m.put("BOTH_QUOTES", "O'Reilly \"x\" canary");
    m.put("SHELLY", "it's $5! `rm` canary");
    m.put("BACKSLASHES", "a\\b c\\\\d \\n \\\" canary");
    m.put("DOLLARS", "pa$$word$HOME${X}canary");
    m.put("BASE64ISH", "Y2FuYXJ5LWJhc2U2NA==");
    m.put("PADDED", "   padded canary value   ");
    m.put("TABS", "\ttabbed canary\t");
    m.put("CR_INSIDE", "canary\rcarriage");
    m.put("LF_INSIDE", "canary line one\ncanary line two");
    m.put("CRLF_INSIDE", "canary crlf one\r\ncanary crlf two");
    m.put("PEM_KEY", PEM);
    m.put("JSON_BLOB", "{\"canary\":\"json\",\"n\":1,\"h\":\"a#b\",\"q\":\"'\"}");
    m.put("JSON_PRETTY", "{\n  \"canary\": \"pretty\",\n  \"list\": [1, 2]\n}\n");
    m.put("UNICODE", "héllo wörld ✓ 日本語 🚀 canary");
    m.put("EMPTY", "");
    m.put("QUOTE_ONLY", "\"");
    m.put("APOSTROPHE_ONLY", "'");
    m.put("DASH_ONLY", "-");
    m.put("TRIPLE_QUOTES", "canary\"\"\"inside");
    m.put("TRIPLE_AT_START", "\"\"\"canary-triple-start");
    m.put("TRIPLE_LINE_END", "canary line\nends here\"\"\"\nmore canary");
    m.put("QUOTE_HASH_FIRST_LINE", "canary\"#first\nsecond canary");
    m.put("EQUALS_SPACES", " = canary = ");
    m.put("HASH_START", "#canary-hash-start");
    m.put("QUOTE_WRAPPED", "\"canary-wrapped\"");
    m.put("APOS_WRAPPED", "'canary-apos-wrapped'");
    m.put("BIG_MULTILINE", "canary-big-multiline\n" + "0123456789abcdef".repeat(4).concat("\n").repeat(1800));
    m.put("BIG_ONE_LINE_OK", "canary-60k-" + "x".repeat(60_000));
    return m;
  }

  /** Vars no route carries exactly, and a word of the reason flyover gives. */
  public static Map<String, String> refused() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("HUGE_LINE", "canary-huge-" + "y".repeat(70_000));
    m.put("CRLF_TRAILING", "canary crlf\r\nwith trailing break\r\n");
    return m;
  }

  /** Vars flyover leaves on Heroku by default (with add-ons REDIS and PAPERTRAIL attached). */
  public static Map<String, String> excluded() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("DATABASE_URL", "postgres://u:canarydbpass@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1");
    m.put("HEROKU_POSTGRESQL_RED_URL", "postgres://u:canarydbpass@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1");
    m.put("REDIS_URL", "redis://:canaryredis@ec2-5-6-7-8.compute-1.amazonaws.com:6379");
    m.put("REDIS_TLS_URL", "rediss://:canaryredis@ec2-5-6-7-8.compute-1.amazonaws.com:6380");
    m.put("PAPERTRAIL_API_TOKEN", "canary-papertrail-token");
    m.put("HEROKU_APP_NAME", "shop");
    m.put("PORT", "5000");
    return m;
  }
}
