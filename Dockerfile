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

FROM debian:12-slim
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends ca-certificates libgit2-1.5 libre2-9 \
      libtree-sitter0 libpugixml1v5 libsqlite3-0 libpq5 libinih1 libinireader0 \
      libcpp-httplib0.11 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /cache flakegrab \
 && mkdir -p /cache && chown flakegrab /cache
COPY --from=build /flakegrab /usr/local/bin/flakegrab
USER flakegrab
# Mirrors and the incremental scan cache live here; mount a volume to keep them between runs.
ENV XDG_CACHE_HOME=/cache
VOLUME /cache
EXPOSE 8080
ENTRYPOINT ["flakegrab"]
CMD ["--help"]
