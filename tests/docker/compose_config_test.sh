#!/usr/bin/env bash
# Validates docker-compose.yml and docker-compose.scale.yml (and the
# Dockerfile and HAProxy config they name) without a docker engine:
# `docker-compose config` parses and resolves each file.
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

# The sharded layout: 2 shards × 2 replicas, 2 lecternd, 1 load balancer,
# 1 indexer (docs/SCALING.md).
scale=$(docker-compose -f docker-compose.scale.yml config)
for needle in "indexer:" "shard-0-a:" "shard-0-b:" "shard-1-a:" "shard-1-b:" \
              "lecternd-1:" "lecternd-2:" "lb:" "--shards 2" "--shards" \
              "xapian-replicate-server" "xapian-tcpsrv" "xapian-replicate -h" \
              "haproxy" "XAPIAN_MAX_CHANGESETS" "service_healthy"; do
  grep -qF -- "$needle" <<<"$scale" || {
    echo "docker-compose config of docker-compose.scale.yml lacks '$needle'" >&2
    exit 1
  }
done
services=$(docker-compose -f docker-compose.scale.yml config --services | sort | tr '\n' ' ')
[[ $services == "indexer lb lecternd-1 lecternd-2 shard-0-a shard-0-b shard-1-a shard-1-b " ]] || {
  echo "docker-compose.scale.yml has services: $services" >&2
  exit 1
}
grep -q 'xapian-tools haproxy' service/Dockerfile || {
  echo "the Dockerfile's runtime image must install xapian-tools and haproxy" >&2
  exit 1
}
if command -v haproxy >/dev/null; then
  haproxy -c -q -f service/deploy/haproxy.cfg
fi
echo "docker-compose.yml and docker-compose.scale.yml are valid"
