#!/usr/bin/env bash
# Lease store latency and throughput (RELIABILITY.md targets: a lease round trip within 1.5x of a
# bare EVALSHA, and 5,000 lease operations per second on 2 cores). Compiles gpu-boss and its tests
# (offline, from the local Maven repository), then runs dev.imajin.gpuboss.bench.LeaseBench
# against an embedded Redis, or the one given with --url. Maven runs offline (-o); set
# MAVEN_OFFLINE= (empty) to let it download. Usage:
#   tools/bench/leases.sh [--url redis://host:port] [--calls 5000] [--warmup 3000] [--seconds 3]
#       [--callers 1,16,32,64]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
./mvnw -q -B ${MAVEN_OFFLINE-} install -DskipTests -Dspotless.check.skip=true -pl gpu-boss -am
mvn=(./mvnw -q -B ${MAVEN_OFFLINE-} -pl gpu-boss)
"${mvn[@]}" test-compile -Dspotless.check.skip=true
classpath="$(mktemp)"
trap 'rm -f "$classpath"' EXIT
"${mvn[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
"${JAVA:-java}" ${JAVA_OPTS:-} \
  -cp "gpu-boss/target/test-classes:gpu-boss/target/classes:$(cat "$classpath")" \
  dev.imajin.gpuboss.bench.LeaseBench "$@"
