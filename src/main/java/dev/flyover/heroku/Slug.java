package dev.flyover.heroku;

import java.util.Map;

/** A built slug ({@code GET /apps/{app}/slugs/{id}}): the process types Heroku read from the Procfile at build time. */
public record Slug(String id, Map<String, String> processTypes, String buildpackDescription, String stack) {}
