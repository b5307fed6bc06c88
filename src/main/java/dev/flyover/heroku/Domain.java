package dev.flyover.heroku;

/**
 * A domain of a Heroku app. {@code kind} is {@code heroku} for the app's own {@code *.herokuapp.com} name and
 * {@code custom} for the user's; {@code cname} is the DNS target ({@code …herokudns.com}), null for the heroku kind.
 */
public record Domain(String id, String hostname, String kind, String cname, String status, String acmStatus) {
  public boolean custom() {
    return "custom".equals(kind);
  }
}
