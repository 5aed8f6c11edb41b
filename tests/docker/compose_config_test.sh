#!/usr/bin/env bash
# Validates docker-compose.yml (and the Dockerfile it names) without a
# docker engine: `docker-compose config` parses and resolves the file.
# usage: compose_config_test.sh SOURCE_DIR
set -euo pipefail
cd "$1"
command -v docker-compose >/dev/null || {
  echo "docker-compose is missing: run scripts/install-deps.sh" >&2
  exit 1
}
config=$(docker-compose -f docker-compose.yml config)
for needle in "lecternd" "indexer" "50051" "8080" "--http_listen" \
              "service_completed_successfully" "healthcheck" "index:"; do
  grep -qF -- "$needle" <<<"$config" || {
    echo "docker-compose config lacks '$needle':" >&2
    echo "$config" >&2
    exit 1
  }
done
dockerfile=$(grep -E '^\s+dockerfile:' docker-compose.yml | head -1 | awk '{print $2}')
[[ -f ${dockerfile:-Dockerfile} ]] || { echo "missing ${dockerfile:-Dockerfile}" >&2; exit 1; }
grep -q '^FROM debian:bookworm' "${dockerfile:-Dockerfile}" || {
  echo "the Dockerfile must build on debian:bookworm" >&2
  exit 1
}
echo "docker-compose.yml is valid"
