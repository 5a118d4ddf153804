#!/usr/bin/env bash
# Measures how long `imajin run` takes from process start until every service listens (the
# "Press Ctrl-C" line), and until the pipeline's /health/ready answers 200. Usage:
#   tools/bench/startup.sh [runs]        (default 5 runs; builds the jar first if needed)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-5}"
"$root/imajin" --version >/dev/null
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "${JAVA:-java}" -jar "$root/launcher/target/imajin.jar" run >"$log" 2>&1 &
  pid=$!
  until grep -q 'Press Ctrl-C' "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.02
  done
  listening=$(( ($(date +%s%N) - start) / 1000000 ))
  until curl -sf localhost:8080/health/ready >/dev/null; do sleep 0.02; done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "run $i: all 12 services listening after ${listening} ms, pipeline ready after ${ready} ms"
  kill -TERM "$pid"   # background jobs of a script ignore SIGINT
  wait "$pid" || true
done
