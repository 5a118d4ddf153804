#!/usr/bin/env bash
# Moderation timing: starts `imajin run` (starter pack, starter policy) on free ports in a scratch
# folder, then sends moderateImage requests one at a time, cycling through images the starter
# policy allows (a world scene, adult faces) and images it blocks in different layers (the
# prohibited-symbol classifier, the age estimate, the zero-shot concept), and reports the answer
# time the client sees per verdict: n, min, p50, p90, p99, max, and the largest gap between the two
# empirical distributions (Kolmogorov-Smirnov D). With --floor 0 (no floor, 1 ms quantum) the same
# run shows what the padding hides. Needs curl.
# Usage:
#   tools/bench/moderation.sh [--requests 120] [--floor MS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
requests=120
floor=""
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) requests="$2"; shift 2 ;;
    --floor) floor="$2"; shift 2 ;;
    *) echo "usage: $0 [--requests N] [--floor MS]" >&2; exit 2 ;;
  esac
done
"$root/imajin" --version >/dev/null
work="$(mktemp -d)"
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fixtures="$root/launcher/src/test/resources/moderation"
policy_args=()
if [ -n "$floor" ]; then
  policy="$work/policy.yaml"
  quantum=250
  [ "$floor" -eq 0 ] && quantum=1
  sed -e "s/^response_floor_ms: .*/response_floor_ms: $floor/" \
      -e "s/^response_quantum_ms: .*/response_quantum_ms: $quantum/" \
      "$root/verticles/moderator/src/main/resources/dev/imajin/moderator/policy/starter-policy.yaml" >"$policy"
  policy_args=(--set "moderator.policy-file=$policy")
fi
port=18008
(cd "$work" && exec "${JAVA:-java}" ${JAVA_OPTS:-} -jar "$root/launcher/target/imajin.jar" run \
    --services gpu-boss,moderator,semantic,identity \
    --set "models.roots=[$root/models]" --set "services.moderator.port=$port" \
    --set services.semantic.port=0 --set services.identity.port=0 --set services.gpu-boss.port=0 \
    "${policy_args[@]}" >"$work/log" 2>&1) &
pid=$!
until curl -sf "localhost:$port/health/ready" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.1
done
images=(circle.png saltire.png adult-0.png child.png stranger.png black-star-on-red.png)
for name in "${images[@]}"; do
  printf '{"image":{"b64":"%s","media_type":"image/png"}}' "$(base64 -w0 "$fixtures/$name")" >"$work/$name.json"
done
: >"$work/times"
for i in $(seq 0 $((requests - 1))); do
  name="${images[$((i % ${#images[@]}))]}"
  out="$(curl -s -o "$work/answer" -w '%{time_total}' -H 'Content-Type: application/json' -H 'Expect:' \
    --data-binary "@$work/$name.json" "localhost:$port/v1/moderations/image")"
  verdict="$(grep -o '"verdict":"[a-z]*"' "$work/answer" | head -1 | cut -d'"' -f4)"
  echo "$verdict $name $(awk -v s="$out" 'BEGIN{printf "%.1f", s*1000}')" >>"$work/times"
done
grep -o "moderator: policy.*" "$work/log" | head -1
echo "moderateImage answer times (ms, client side), ${requests} requests, one at a time, floor ${floor:-from the starter policy}:"
for verdict in allow block; do
  awk -v v="$verdict" '$1 == v {print $3}' "$work/times" | sort -n >"$work/$verdict"
  awk -v v="$verdict" '
    function pct(q,  k) { k = int(q * NR + 0.999999); if (k < 1) k = 1; if (k > NR) k = NR; return a[k] }
    { a[NR] = $1 }
    END {
      if (NR == 0) { print "  " v ": none"; exit }
      printf "  %-5s n=%d min=%.1f p50=%.1f p90=%.1f p99=%.1f max=%.1f\n", v, NR, a[1], pct(0.5), pct(0.9), pct(0.99), a[NR]
    }' "$work/$verdict"
done
awk 'FNR==1{f++} f==1{a[++n]=$1} f==2{b[++m]=$1} END {
  i=1; j=1; d=0
  while (i<=n && j<=m) { x = a[i] < b[j] ? a[i] : b[j]
    while (i<=n && a[i]<=x) i++; while (j<=m && b[j]<=x) j++
    g = (i-1)/n - (j-1)/m; if (g<0) g=-g; if (g>d) d=g }
  printf "  Kolmogorov-Smirnov D(allow, block) = %.3f\n", d }' "$work/allow" "$work/block"
echo "  per image (verdict, n, p50, max):"
for name in "${images[@]}"; do
  awk -v n="$name" '$2 == n {print $1, $3}' "$work/times" | sort -k2 -n | awk -v n="$name" '
    { v = $1; a[NR] = $2 }
    END { printf "    %-22s %-5s n=%d p50=%.1f max=%.1f\n", n, v, NR, a[int(NR * 0.5 + 0.999999)], a[NR] }'
done
