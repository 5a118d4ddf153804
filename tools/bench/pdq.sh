#!/usr/bin/env bash
# PDQ hash banks: imports a bank of 1,000,000 random PDQ hashes plus planted near-duplicates through
# the moderator's importHashes (Redis writes pipelined in Lua chunks), times loading it back from
# Redis as a restarted node does, and reports lookup latency (p50/p99) of the in-memory
# multi-index, of a linear scan for comparison, and of matchHash through the service. Compiles
# verticles/moderator and its tests, then runs dev.imajin.moderator.bench.PdqBench against an
# embedded Redis, or the one given with --url. Set MAVEN_OFFLINE=-o to keep Maven off the network.
# Usage:
#   tools/bench/pdq.sh [--hashes 1000000] [--queries 10000] [--threshold 31] [--url redis://host:port]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
MAVEN_OFFLINE="${MAVEN_OFFLINE-}"
./mvnw -q -B ${MAVEN_OFFLINE} install -DskipTests -Dspotless.check.skip=true -pl verticles/moderator -am
mvn=(./mvnw -q -B ${MAVEN_OFFLINE} -pl verticles/moderator)
"${mvn[@]}" test-compile -Dspotless.check.skip=true
classpath="$(mktemp)"
trap 'rm -f "$classpath"' EXIT
"${mvn[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
"${JAVA:-java}" ${JAVA_OPTS:--Xmx3g} \
  -cp "verticles/moderator/target/test-classes:verticles/moderator/target/classes:$(cat "$classpath")" \
  dev.imajin.moderator.bench.PdqBench "$@"
