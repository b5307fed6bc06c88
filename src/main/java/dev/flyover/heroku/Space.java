package dev.flyover.heroku;

/** A Private Space ({@code GET /spaces/{space}}): its region name ({@code frankfurt}, {@code virginia}…). */
public record Space(String name, String region, boolean shield) {}
