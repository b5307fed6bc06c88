package dev.flyover.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Phoenix app as it lives on Heroku: mix.exs, a Procfile, a router with or without a health route, no Dockerfile. */
final class PhoenixFixture {
  static final String PROCFILE = "web: mix phx.server\nworker: mix run --no-halt\nrelease: mix ecto.migrate\n";

  static final String MIX_EXS = """
      defmodule Shop.MixProject do
        use Mix.Project

        def project do
          [
            app: :shop,
            version: "0.1.0",
            elixir: "~> 1.15",
            deps: deps()
          ]
        end

        defp deps do
          [
            {:phoenix, "~> 1.7.14"},
            {:phoenix_ecto, "~> 4.5"},
            {:ecto_sql, "~> 3.10"},
            {:postgrex, ">= 0.0.0"},
            {:oban, "~> 2.17"}
          ]
        end
      end
      """;

  static final String ROUTER = """
      defmodule ShopWeb.Router do
        use ShopWeb, :router

        pipeline :browser do
          plug :accepts, ["html"]
        end

        scope "/", ShopWeb do
          pipe_through :browser

          get "/", PageController, :home
        end

        scope "/api", ShopWeb do
          get "/products", ProductController, :index
        end
      end
      """;

  static final String RUNTIME = """
      import Config
      if config_env() == :prod do
        maybe_ipv6 = if System.get_env("ECTO_IPV6") in ~w(true 1), do: [:inet6], else: []
        config :shop, Shop.Repo, socket_options: maybe_ipv6
      end
      """;

  static void write(Path dir, boolean healthRoute) {
    try {
      Files.writeString(dir.resolve("Procfile"), PROCFILE);
      Files.writeString(dir.resolve("mix.exs"), MIX_EXS);
      Files.createDirectories(dir.resolve("lib/shop_web"));
      Files.createDirectories(dir.resolve("config"));
      Files.writeString(dir.resolve("config/runtime.exs"), RUNTIME);
      String router = healthRoute ? ROUTER.replace("get \"/products\"", "get \"/health\", HealthController, :show\n    get \"/products\"") : ROUTER;
      Files.writeString(dir.resolve("lib/shop_web/router.ex"), router);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PhoenixFixture() {}
}
