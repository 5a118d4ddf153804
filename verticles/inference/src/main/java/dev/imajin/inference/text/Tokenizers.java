package dev.imajin.inference.text;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The tokenizers of a service's models, read once per model and reused by its later loads while the
 * model's tokenizer source (its folder, its format) stays the same; a changed source reads a new
 * tokenizer and closes the one it replaces. Thread-safe; reading blocks, so call {@link #get} on a
 * worker.
 *
 * @param <K> what a tokenizer is read from
 * @param <T> the tokenizer
 */
public final class Tokenizers<K, T extends SequenceTokenizer> implements AutoCloseable {
  private record Kept<K, T>(K source, T tokenizer) {}

  private final Map<String, Kept<K, T>> kept = new ConcurrentHashMap<>();

  /**
   * The model's tokenizer from {@code source}: the one read before when the source is the same,
   * else a new one from {@code read}. A failure of {@code read} keeps the tokenizer there was.
   */
  public T get(String modelId, K source, Function<K, T> read) {
    return kept.compute(
            modelId,
            (id, known) -> {
              if (known != null && known.source().equals(source)) {
                return known;
              }
              Kept<K, T> fresh = new Kept<>(source, read.apply(source));
              if (known != null) {
                known.tokenizer().close();
              }
              return fresh;
            })
        .tokenizer();
  }

  /** Closes every tokenizer. */
  @Override
  public void close() {
    for (String id : List.copyOf(kept.keySet())) {
      Kept<K, T> gone = kept.remove(id);
      if (gone != null) {
        gone.tokenizer().close();
      }
    }
  }
}
