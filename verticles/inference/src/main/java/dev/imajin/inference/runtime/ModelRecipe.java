package dev.imajin.inference.runtime;

import ai.onnxruntime.OrtException;
import dev.imajin.inference.model.ModelEntry;
import java.util.List;
import java.util.Objects;

/**
 * How {@link HostedModels} loads one kind of model: which of its files to open as graphs, what to
 * prepare before they open, and how to read the open graphs into what requests use.
 *
 * @param components the roles, in the manifest's {@code files}, of the graphs to open, in order;
 *     the first one's SHA-256 is the model's hash in {@code info}
 * @param prepare blocking work on the service's io pool once the files are verified and before the
 *     graphs open (reading a tokenizer, say); a {@link dev.imajin.inference.model.ModelException}
 *     it throws answers 422
 * @param read reads the open graphs, with what {@code prepare} made, on the device's pool; a {@link
 *     dev.imajin.inference.model.ModelException} it throws answers 422 and unloads the model
 * @param <P> what the prepare step makes
 * @param <T> what requests use
 */
public record ModelRecipe<P, T>(List<String> components, Prepare<P> prepare, Read<P, T> read) {

  /** Blocking work before a model's graphs open; runs on the io pool. */
  @FunctionalInterface
  public interface Prepare<P> {
    P prepare(ModelEntry entry);
  }

  /** Reads a model's open graphs into what requests use; runs on the device's pool. */
  @FunctionalInterface
  public interface Read<P, T> {
    T read(LoadedModel model, ModelEntry entry, P prepared) throws OrtException;
  }

  /**
   * @throws IllegalArgumentException when no component is named
   */
  public ModelRecipe {
    components = List.copyOf(components);
    if (components.isEmpty()) {
      throw new IllegalArgumentException("a model recipe opens at least one component");
    }
    Objects.requireNonNull(prepare, "prepare");
    Objects.requireNonNull(read, "read");
  }

  /** Opens {@code components} and reads them, with nothing prepared first. */
  public static <T> ModelRecipe<Void, T> of(List<String> components, Read<Void, T> read) {
    return new ModelRecipe<>(components, entry -> null, read);
  }

  /** Opens the single graph {@link HostedModels#COMPONENT} and reads its session. */
  public static <T> ModelRecipe<Void, T> single(HostedModels.Reader<T> reader) {
    return of(
        List.of(HostedModels.COMPONENT),
        (model, entry, none) -> reader.read(model.session(HostedModels.COMPONENT), entry));
  }
}
