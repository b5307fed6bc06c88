# syntax=docker/dockerfile:1
# flyover's action image, published by .github/workflows/release.yml (linux/amd64 and linux/arm64) and named by
# action.yml's runs.image, so a workflow pulls it instead of building it.
#   build    Maven builds the jar (once, on the build machine's platform: the jar is the same everywhere).
#   runtime  scripts/build-runtime.sh makes a jlink'd Java with only the modules the jar needs and an AppCDS
#            archive from training runs that need no network (bench/startup.sh measures the same script's output).
#   flyctl   the pinned flyctl release, checked against docker/flyctl.sha256 (x86_64 and arm64). fly/Flyctl's rules
#            were read in flyctl's source at ad0172f (v0.4.87+6, 2026-08-21) with fly-go v0.9.6; 0.4.111 is the
#            release pinned here.
#   final    Debian slim + PostgreSQL clients + flyctl + /opt/flyover (runtime, jar, archive) and nothing else.
# scripts/check-image.sh (run by .ci/run) keeps the module list and the final stage's copies honest. Base images
# are written out in each FROM (not through an ARG) so Dependabot can update them.

FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml action.yml ./
COPY src/main src/main
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q package -DskipTests

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/build-runtime.sh /usr/local/bin/build-runtime.sh
COPY --from=build /src/target/flyover.jar /tmp/flyover.jar
# /opt/flyover is where the final stage has it too: the archive records the jar's path, size and mtime.
RUN bash /usr/local/bin/build-runtime.sh /tmp/flyover.jar /opt/flyover

FROM debian:bookworm-slim AS flyctl
ARG FLYCTL_VERSION=0.4.111
ARG TARGETARCH
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
COPY docker/flyctl.sha256 /tmp/flyctl.sha256
RUN set -eu; \
    case "$TARGETARCH" in amd64) arch=x86_64 ;; arm64) arch=arm64 ;; *) echo "no flyctl for $TARGETARCH" >&2; exit 1 ;; esac; \
    file="flyctl_${FLYCTL_VERSION}_Linux_${arch}.tar.gz"; \
    grep " $file\$" /tmp/flyctl.sha256 > /tmp/expected \
      || { echo "docker/flyctl.sha256 has no checksum for $file: run scripts/update-flyctl.sh $FLYCTL_VERSION" >&2; exit 1; }; \
    curl -fsSL --proto '=https' --tlsv1.2 --retry 3 -o "/tmp/$file" \
      "https://github.com/superfly/flyctl/releases/download/v${FLYCTL_VERSION}/$file"; \
    (cd /tmp && sha256sum --check --strict expected); \
    tar -xzf "/tmp/$file" -C /usr/local/bin flyctl; \
    /usr/local/bin/flyctl version

FROM debian:bookworm-slim
# PostgreSQL clients for every supported major, from the PostgreSQL project's apt repository (PGDG; its signing
# key comes with Debian's postgresql-common), so pg_dump and pg_restore can match the servers on both sides:
# /usr/lib/postgresql/<major>/bin/pg_dump.
ARG PG_MAJORS="14 15 16 17 18"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y >/dev/null \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      $(for v in $PG_MAJORS; do echo "postgresql-client-$v"; done) \
 && rm -rf /var/lib/apt/lists/* \
 && for v in $PG_MAJORS; do "/usr/lib/postgresql/$v/bin/pg_dump" --version; done
COPY --from=flyctl /usr/local/bin/flyctl /usr/local/bin/flyctl
COPY --from=runtime /opt/flyover/runtime /opt/flyover/runtime
COPY --from=runtime /opt/flyover/flyover.jar /opt/flyover/flyover.jar
COPY --from=runtime /opt/flyover/flyover.jsa /opt/flyover/flyover.jsa
# The jar gets back the fixed mtime build-runtime.sh gave it (the archive records it). Then fail the build, rather
# than start slow forever, if the archive does not map (-Xshare:on refuses to start; the ENTRYPOINT's default,
# auto, would quietly go without).
RUN ln -s flyctl /usr/local/bin/fly \
 && touch -d @315532800 /opt/flyover/flyover.jar \
 && /opt/flyover/runtime/bin/java -Xshare:on -XX:SharedArchiveFile=/opt/flyover/flyover.jsa \
      -jar /opt/flyover/flyover.jar --version
ENV LANG=C.UTF-8
# No USER: the runner mounts the workspace and its command files for root. Exec form, so Java is PID 1 and gets
# the runner's SIGINT/SIGTERM. C1 only and SerialGC suit a short-lived CLI; the archive makes the start warm.
# (The default thread stack is kept: a smaller one saves little and risks regex recursion on long log lines.)
ENTRYPOINT ["/opt/flyover/runtime/bin/java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:SharedArchiveFile=/opt/flyover/flyover.jsa", "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8", "-Dsun.stderr.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8", "-jar", "/opt/flyover/flyover.jar"]
CMD ["action"]
