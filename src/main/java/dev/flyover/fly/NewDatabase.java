package dev.flyover.fly;

import java.util.List;

/**
 * What a create-and-attach printed, read and masked as it streamed: the cluster (a Managed Postgres cluster ID, or
 * the unmanaged Postgres app's name), the connection string attach set on the app, and the notice flyctl printed
 * before anything else (every {@code fly postgres} command's support notice; empty for {@code fly mpg}).
 */
public record NewDatabase(String cluster, String databaseUrl, List<String> notice) {}
