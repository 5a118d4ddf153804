package dev.imajin.moderator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.moderator.Layer;
import dev.imajin.contracts.moderator.ModerationCategory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading and checking policy files; the starter policy is valid. */
class ModerationPolicyTest {
  static final String MINIMAL =
      """
      version: "t.1"
      response_floor_ms: 300
      layers:
        - {layer: hash_match, required: true, timeout_ms: 100}
        - {layer: image_classifier, required: true, timeout_ms: 100, models: [starter/prohibited]}
        - layer: age_estimation
          required: true
          timeout_ms: 100
          models: [starter/face-detector, starter/age]
          minor_labels: ["0-12", "13-17"]
        - {layer: prohibited_content, required: true, timeout_ms: 100, models: [starter/semantic]}
        - {layer: identity_verification, required: false, timeout_ms: 100}
      text_rules:
        - {id: hate.black_star, category: hate, terms: [black star]}
      concepts:
        - {id: black_star, text: a black star, category: hate}
      rules:
        - id: symbol
          when: [{layer: image_classifier, signal: "label:prohibited_symbol", min_score: 0.8}]
          category: hate
          action: block
        - id: banks
          when: [{layer: hash_match, signal: "bank:*"}]
          action: block
      """;

  static ModerationPolicy parse(String yaml) {
    return ModerationPolicy.parse(
        yaml.getBytes(StandardCharsets.UTF_8), "test.yaml", Instant.EPOCH);
  }

  @Test
  void theStarterPolicyIsValidAndCoversEveryLayer() {
    ModerationPolicy starter = ModerationPolicy.starter();
    assertThat(starter.version()).isNotBlank();
    assertThat(starter.policy().sha256()).matches("[0-9a-f]{64}");
    for (Layer layer : Layer.values()) {
      assertThat(starter.layer(layer)).as(layer.name()).isNotNull();
      assertThat(starter.layer(layer).timeoutMs()).isLessThanOrEqualTo(starter.responseFloorMs());
    }
    assertThat(starter.threshold("label:prohibited_symbol")).isEqualTo(0.5);
    assertThat(starter.category("label:prohibited_symbol")).isEqualTo(ModerationCategory.HATE);
    assertThat(starter.textRules().match("a s a l t 1 r e on a flag")).isNotEmpty();
  }

  @Test
  void aMinimalPolicyReadsWithItsDefaults() {
    ModerationPolicy p = parse(MINIMAL);
    assertThat(p.responseQuantumMs()).isEqualTo(ModerationPolicy.DEFAULT_QUANTUM_MS);
    assertThat(p.policy().loadedAt()).isEqualTo(Instant.EPOCH);
    assertThat(p.layer(Layer.IDENTITY_VERIFICATION).required()).isFalse();
    assertThat(p.threshold("bank:*")).isEqualTo(0.0);
    assertThat(p.threshold("label:nsfw")).isNull();
    assertThat(parse(MINIMAL).policy().sha256()).isEqualTo(p.policy().sha256());
  }

  @Test
  void mistakesAreRefusedNamingTheFileAndThePlace() {
    assertRefused(MINIMAL.replace("  - {layer: hash_match, required: true, timeout_ms: 100}\n", ""))
        .hasMessageContaining("layer hash_match is missing");
    assertRefused(MINIMAL.replace("version: \"t.1\"", "version: \"t.1\"\ncolour: red"))
        .hasMessageContaining("colour");
    assertRefused(MINIMAL.replace("signal: \"bank:*\"", "signal: \"label:x\""))
        .hasMessageContaining("rules[1].when[0]: signal 'label:x' is not one of layer hash_match");
    assertRefused(MINIMAL.replace("min_score: 0.8}", "min_score: 0.8, max_score: 0.5}"))
        .hasMessageContaining("'min_score' must be below 'max_score'");
    assertRefused(MINIMAL.replace("response_floor_ms: 300", "response_floor_ms: 50"))
        .hasMessageContaining("is over 'response_floor_ms' 50");
    assertRefused(MINIMAL.replace("- id: banks", "- id: symbol"))
        .hasMessageContaining("rule 'symbol' is defined twice");
    assertRefused(MINIMAL.replace("models: [starter/semantic]", "models: []"))
        .hasMessageContaining("prohibited_content takes 1 model");
    assertRefused(MINIMAL.replace("version: \"t.1\"", "version: \"t.1\"\nsha256: abc"))
        .hasMessageContaining("'sha256' is computed");
    assertRefused(
            MINIMAL.replace(
                "signal: \"bank:*\"}]",
                "signal: \"bank:*\"}, {layer: prohibited_content, signal: \"concept:nope\"}]"))
        .hasMessageContaining("signal 'concept:nope'");
    assertRefused(MINIMAL.replace("terms: [black star]", "terms: []"))
        .hasMessageContaining("text_rules[0]");
    assertRefused("- just a list").hasMessageContaining("a policy is a YAML mapping");
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ?> assertRefused(String yaml) {
    return assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("test.yaml: ");
  }
}
