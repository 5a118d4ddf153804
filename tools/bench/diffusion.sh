#!/usr/bin/env bash
# Diffusion pipeline overhead: the pipeline's time per denoising step against the bare UNet
# session.run on identical inputs (target: the Java glue adds at most 5%), and the end-to-end time
# per image, on a fixture whose UNet runs real 3x3 convolutions over the latents. Builds
# verticles/inference and the modules it needs, then runs dev.imajin.inference.diffusion.DiffusionBench
# on the CPU. Set MAVEN_OFFLINE=-o to keep Maven off the network once dependencies are downloaded.
# Usage:
#   tools/bench/diffusion.sh [--size 512] [--steps 20] [--channels 64] [--layers 4] [--rounds 5]
#       [--guidance 7.5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
MAVEN_OFFLINE="${MAVEN_OFFLINE-}"
./mvnw -q -B ${MAVEN_OFFLINE} install -DskipTests -Dspotless.check.skip=true -pl verticles/inference -am
mvn=(./mvnw -q -B ${MAVEN_OFFLINE} -pl verticles/inference)
"${mvn[@]}" test-compile -Dspotless.check.skip=true
classpath="$(mktemp)"
trap 'rm -f "$classpath"' EXIT
"${mvn[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
"${JAVA:-java}" ${JAVA_OPTS:-} \
  -cp "verticles/inference/target/test-classes:verticles/inference/target/classes:$(cat "$classpath")" \
  dev.imajin.inference.diffusion.DiffusionBench "$@"
