#!/usr/bin/env bash
# Throughput of the processing service on 1024x1024 images, and its memory under hostile inputs.
# Starts `imajin run --services processing` (with the default configuration: one worker per core,
# 64 queued requests), then drives it over HTTP with tools/bench/ProcessingLoad.java. Usage:
#   tools/bench/processing.sh [requests]       (default 200 per measurement)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
requests="${1:-200}"
java="${JAVA:-java}"
"$root/imajin" --version >/dev/null
log="$(mktemp)"
"$java" ${JAVA_OPTS:-} -jar "$root/launcher/target/imajin.jar" run --services processing >"$log" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
until curl -sf localhost:8004/health/ready >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
load() { "$java" "$root/tools/bench/ProcessingLoad.java" "$@"; }
memory() {
  awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2/1024} END {print ""}' "/proc/$pid/status"
}
echo "service started: $(memory)"
for format in png jpeg; do
  load resize --format "$format" --concurrency 1 --requests "$requests"
  load resize --format "$format" --concurrency 4 --requests "$requests"
  load embed --format "$format" --concurrency 1 --requests "$requests"
  load embed --format "$format" --concurrency 4 --requests "$requests"
done
echo "after throughput runs: $(memory)"
load bombs --format png --concurrency 64 --requests $((requests * 10))
echo "after 64 concurrent hostile clients: $(memory)"
curl -sf localhost:8004/health/ready >/dev/null && echo "service still ready"
