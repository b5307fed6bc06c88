package dev.flyover.heroku;

/**
 * A Heroku app ({@code GET /apps/{app}}). Nullable strings are fields Heroku may leave out (team for personal
 * apps, generation on old stacks, space outside a Private Space).
 */
public record HerokuApp(String id, String name, boolean maintenance, String webUrl, String region, String stack,
    String generation, String team, String space) {}
