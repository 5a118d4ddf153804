package dev.imajin.inference.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** What a model's weights weigh: its ONNX graphs plus their external data files. */
final class MemoryEstimate {
  private MemoryEstimate() {}

  static boolean isOnnx(Path file) {
    return file.getFileName().toString().endsWith(".onnx");
  }

  /**
   * External tensor data as the exporters name it: Optimum's {@code model.onnx_data}, the legacy
   * diffusers script's and Olive's {@code weights.pb}, {@code model.onnx.data} (ONNX Runtime's
   * SDXL-Turbo export).
   */
  static boolean isExternalData(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".onnx_data") || name.endsWith(".onnx.data") || name.equals("weights.pb");
  }

  /** External data files that sit beside an ONNX graph, listed or not. */
  static List<Path> externalDataBeside(Path onnx) {
    try (Stream<Path> siblings = Files.list(onnx.getParent())) {
      return siblings.filter(p -> isExternalData(p) && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The weight files among these and beside them, each once. */
  static Set<Path> weights(Collection<ResolvedFile> files) {
    Set<Path> weights = new LinkedHashSet<>();
    for (ResolvedFile file : files) {
      if (isOnnx(file.path())) {
        weights.add(file.path());
        weights.addAll(externalDataBeside(file.path()));
      } else if (isExternalData(file.path())) {
        weights.add(file.path());
      }
    }
    return weights;
  }

  /** {@link ModelRegistry#MEMORY_FACTOR} times the bytes of the weights, rounded up. */
  static long estimate(Collection<ResolvedFile> files) {
    long bytes = 0;
    for (Path weight : weights(files)) {
      try {
        bytes += Files.size(weight);
      } catch (IOException e) {
        throw new ModelException(weight + ": cannot be read: " + e.getMessage(), e);
      }
    }
    return (long) Math.ceil(bytes * ModelRegistry.MEMORY_FACTOR);
  }
}
