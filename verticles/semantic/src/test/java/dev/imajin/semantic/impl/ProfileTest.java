package dev.imajin.semantic.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelException;
import dev.imajin.inference.model.ModelRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
  @TempDir Path root;

  private ModelEntry entry(String preprocess, String postprocess, String rest) throws IOException {
    Path folder = root.resolve("m");
    Files.createDirectories(folder.resolve("tokenizer"));
    Files.writeString(folder.resolve("vision_model.onnx"), "v");
    Files.writeString(folder.resolve("text_model.onnx"), "t");
    Files.writeString(
        folder.resolve("imajin-model.yaml"),
        """
        id: m
        task: image-text-similarity
        family: siglip
        license: Apache-2.0
        files:
          vision_model: {path: vision_model.onnx}
          text_model: {path: text_model.onnx}
        preprocess:
          size: 8
        %s
        postprocess:
        %s
        %s
        """
            .formatted(preprocess, postprocess, rest));
    ModelRegistry registry = ModelRegistry.scan(List.of(root));
    assertThat(registry.problems()).isEmpty();
    return registry.require("m");
  }

  private static final String SCALE = "  logit_scale: 2.3\n  logit_bias: -5";

  @Test
  @DisplayName(
      "A manifest's template, length, pad id, logit scale and bias, and threshold are read")
  void reads() throws IOException {
    Profile p =
        Profile.of(
            entry(
                "  max_length: 64\n  pad_token_id: 1\n  template: 'This is a photo of {}.'",
                SCALE,
                "tokenizer: tokenizer\nthresholds: {present: 0.3}"));
    assertThat(p.template()).isEqualTo("This is a photo of {}.");
    assertThat(p.tokenizerFormat()).isEqualTo(Profile.TokenizerFormat.CLIP);
    assertThat(List.of(p.maxLength(), p.padId())).containsExactly(64, 1);
    assertThat(List.of(p.logitScale(), p.logitBias(), p.threshold()))
        .containsExactly(2.3, -5.0, 0.3);
    assertThat(p.tokenizer()).isEqualTo(root.resolve("m/tokenizer"));
    assertThat(Profile.fill(p.template(), "a red star"))
        .isEqualTo("This is a photo of a red star.");

    Profile defaults = Profile.of(entry("", SCALE, "tokenizer: tokenizer"));
    assertThat(defaults.template()).isEqualTo("{}");
    assertThat(List.of(defaults.maxLength(), defaults.padId())).containsExactly(0, -1);
    assertThat(defaults.threshold()).isEqualTo(0.5);
    assertThat(Profile.fill("{}", "as it is")).isEqualTo("as it is");
  }

  @Test
  @DisplayName("A manifest that cannot work is refused naming its key")
  void refuses() {
    assertThatThrownBy(() -> Profile.of(entry("", SCALE, "")))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("tokenizer: missing");
    assertThatThrownBy(() -> Profile.of(entry("", "  logit_scale: 2.3", "tokenizer: tokenizer")))
        .hasMessageContaining("postprocess.logit_bias: missing");
    assertThatThrownBy(
            () ->
                Profile.of(
                    entry("  tokenizer_format: sentencepiece", SCALE, "tokenizer: tokenizer")))
        .hasMessageContaining(
            "preprocess.tokenizer_format: must be clip or json, was 'sentencepiece'");
    assertThatThrownBy(
            () -> Profile.of(entry("  template: 'a {} and {}'", SCALE, "tokenizer: tokenizer")))
        .hasMessageContaining("preprocess.template: must hold one {}");
    assertThatThrownBy(() -> Profile.of(entry("  max_length: 1", SCALE, "tokenizer: tokenizer")))
        .hasMessageContaining("preprocess.max_length: must be 2..4096, was 1");
    assertThatThrownBy(() -> Profile.of(entry("  pad_token_id: -1", SCALE, "tokenizer: tokenizer")))
        .hasMessageContaining("preprocess.pad_token_id: must not be negative");
    assertThatThrownBy(
            () -> Profile.of(entry("", SCALE, "tokenizer: tokenizer\nthresholds: {present: 2}")))
        .hasMessageContaining("thresholds.present: must be between 0 and 1, was 2.0");
    assertThatThrownBy(
            () ->
                Profile.of(entry("", "  logit_scale: x\n  logit_bias: 1", "tokenizer: tokenizer")))
        .hasMessageContaining("postprocess.logit_scale: expected a number");
  }
}
