package dev.imajin.inference.testing;

import dev.imajin.inference.testing.SdVariant.Family;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Fills a pipeline's tokenizer folders ({@code tokenizer/}, and {@code tokenizer_2/} for SDXL) with
 * {@code vocab.json}, {@code merges.txt} and their configs. The folder writer creates each folder
 * first; {@link #NONE} leaves them empty.
 */
@FunctionalInterface
public interface TokenizerFiles {
  TokenizerFiles NONE = (dir, family, index) -> {};

  /**
   * Writes the files of tokenizer {@code index} (1 for {@code tokenizer/}, 2 for {@code
   * tokenizer_2/}) of a {@code family} pipeline into {@code dir}.
   */
  void write(Path dir, Family family, int index) throws IOException;
}
