# lectern on Debian bookworm, in two stages: build with the -dev packages,
# run on bookworm-slim with only the runtime libraries.

FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN bash scripts/install-deps.sh --build-only && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLECTERN_BUILD_TESTS=OFF \
 && cmake --build build \
 && cmake --install build --prefix /opt/lectern

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libgrpc++1.51 libprotobuf32 libxapian30 libabsl20220623 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /var/lib/lectern lectern \
 && mkdir -p /var/lib/lectern \
 && chown lectern /var/lib/lectern
COPY --from=build /opt/lectern/bin/ /usr/local/bin/
COPY data/ /opt/lectern/data/
USER lectern
EXPOSE 50051
CMD ["lecternd", "--index", "/var/lib/lectern/index", "--listen", "0.0.0.0:50051"]
