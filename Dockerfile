# Production image: flakegrab on Debian 12, built from this tree.
#   docker build -t flakegrab .
#   docker run --rm -e GITHUB_TOKEN -v flakegrab-cache:/cache -v "$PWD:/data" flakegrab \
#     push https://github.com/org/repo main --db sqlite:/data/flakegrab.db
#   docker run -d -p 8080:8080 -e FLAKEGRAB_SERVE_TOKEN -v flakegrab-cache:/cache flakegrab \
#     serve https://github.com/org/repo main --bundle https://ci/bundle.json --listen 0.0.0.0:8080
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN scripts/setup \
 && cmake -S . -B /build -DFLAKEGRAB_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
 && cmake --build /build -j"$(nproc)" \
 && strip -o /flakegrab /build/cli/flakegrab

# Runtime: the binary and the Debian packages of the shared libraries it links, nothing else
# (.ci/check-deploy compares this list with `ldd` of the built binary); ca-certificates for
# https remotes, trackers and TLS to the database. A numeric non-root user, so Kubernetes'
# runAsNonRoot can verify it.
FROM debian:12-slim
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends ca-certificates \
      libcpp-httplib0.11 libgit2-1.5 libinih1 libinireader0 libpq5 libpugixml1v5 libre2-9 \
      libjemalloc2 libsqlite3-0 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 flakegrab \
 && useradd --system --uid 10001 --gid 10001 --home-dir /cache flakegrab \
 && mkdir -p /cache && chown 10001:10001 /cache
COPY --from=build /flakegrab /usr/local/bin/flakegrab
USER 10001:10001
# Mirrors and the incremental scan cache live here; mount a volume to keep them between runs.
ENV XDG_CACHE_HOME=/cache
VOLUME /cache
EXPOSE 8080
ENTRYPOINT ["flakegrab"]
CMD ["--help"]
