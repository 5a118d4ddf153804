package dev.imajin.inference.text;

import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Creates DJL's native (Rust) Hugging Face tokenizers from {@code tokenizer.json} text, with no
 * network access.
 *
 * <p>The native library ships inside the DJL jar; on first use DJL copies it to {@code
 * ~/.djl.ai/tokenizers/<version>-cpu-<platform>/} (or under {@code DJL_CACHE_DIR} / {@code
 * ENGINE_CACHE_DIR}, or {@code java.io.tmpdir} when the home folder is not writable) and loads it
 * from there. Two things in DJL reach for the network unless told not to: on a machine where it
 * detects CUDA it looks for a GPU build of the library, which the jar does not hold, and downloads
 * it from publish.djl.ai; and every tokenizer creation "calls home" (EC2 instance metadata, then a
 * telemetry URL) once a day. DJL's offline mode ({@code ai.djl.offline=true}) forces the CPU build
 * and skips the call home, so it is set here before DJL's classes load, unless the operator set it;
 * {@code OPT_OUT_TRACKING} likewise. Nothing else in this project uses DJL, so the JVM-wide
 * property affects only the tokenizers.
 */
final class NativeTokenizers {

  static final String OFFLINE_PROPERTY = "ai.djl.offline";
  static final String TRACKING_PROPERTY = "OPT_OUT_TRACKING";

  /** Raw tokens only: CLIP's special tokens, truncation and padding are applied in Java. */
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

  static {
    setIfAbsent(OFFLINE_PROPERTY, "true");
    setIfAbsent(TRACKING_PROPERTY, "true");
  }

  private NativeTokenizers() {}

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** A tokenizer from {@code json}; {@code file} names its origin in messages. */
  static HuggingFaceTokenizer create(String json, Path file) {
    try {
      LibUtils.checkStatus();
    } catch (EngineException e) {
      throw new IllegalStateException("the native tokenizers library cannot be loaded", e);
    }
    try (InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
      return HuggingFaceTokenizer.newInstance(in, OPTIONS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          file + ": the tokenizers library cannot load it: " + e.getMessage(), e);
    }
  }
}
