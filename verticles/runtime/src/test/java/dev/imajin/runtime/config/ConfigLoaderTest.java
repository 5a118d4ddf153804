package dev.imajin.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.contracts.ServiceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static ImajinConfig load(Optional<Path> file, Map<String, String> env, String... flags) {
    return ConfigLoader.load(file, env, List.of(flags));
  }

  @Test
  @DisplayName("The defaults give every service its documented port and an embedded Redis")
  void defaults() {
    ImajinConfig config = ConfigLoader.defaultConfig();
    for (ServiceId id : ServiceId.values()) {
      assertThat(config.service(id).port()).as("%s port", id).isEqualTo(id.defaultPort());
      assertThat(config.service(id).enabled()).isTrue();
    }
    assertThat(config.redis().embedded()).isTrue();
    assertThat(config.cluster().enabled()).isFalse();
  }

  @Test
  @DisplayName("File, environment and flags override the defaults in that order")
  void layersOverrideInOrder() throws Exception {
    Path file = dir.resolve("imajin.yaml");
    Files.writeString(
        file,
        """
        http:
          max-body-bytes: 2048
          public-host: files.example
        services:
          processing:
            port: 9004
        """);
    ImajinConfig config =
        load(
            Optional.of(file),
            Map.of(
                "IMAJIN_HTTP__MAX_BODY_BYTES",
                "4096",
                "IMAJIN_SERVICES__GPU_BOSS__PORT",
                "9007",
                "PATH",
                "/usr/bin"),
            "http.max-body-bytes=8192",
            "services.request-classifier.enabled=false");
    assertThat(config.http().maxBodyBytes()).isEqualTo(8192);
    assertThat(config.http().publicHost()).isEqualTo("files.example");
    assertThat(config.service(ServiceId.PROCESSING).port()).isEqualTo(9004);
    assertThat(config.service(ServiceId.GPU_BOSS).port()).isEqualTo(9007);
    assertThat(config.service(ServiceId.REQUEST_CLASSIFIER).enabled()).isFalse();
    assertThat(config.selected(Set.of()).keySet())
        .doesNotContain(ServiceId.REQUEST_CLASSIFIER)
        .contains(ServiceId.PIPELINE);
    assertThat(config.selected(Set.of(ServiceId.REQUEST_CLASSIFIER)).keySet())
        .containsExactly(ServiceId.REQUEST_CLASSIFIER);
  }

  @Test
  @DisplayName("A value out of range names its full key")
  void rangeErrorNamesKey() {
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "services.processing.port=70000"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("services.processing.port: must be between 1 and 65535, was 70000");
    assertThatThrownBy(() -> load(Optional.empty(), Map.of("IMAJIN_HTTP__MAX_BODY_BYTES", "5")))
        .hasMessage("http.max-body-bytes: must be between 1024 and 1073741824, was 5");
  }

  @Test
  @DisplayName("An unknown key is named, with the keys known at that level")
  void unknownKeyIsNamed() {
    assertThatThrownBy(() -> load(Optional.empty(), Map.of("IMAJIN_HTTP__MAX_BODY", "5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.max-body: unknown key; known keys here:")
        .hasMessageContaining("max-body-bytes");
  }

  @Test
  @DisplayName("A value of the wrong type is named with the type expected")
  void wrongTypeIsNamed() {
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "event-bus.request-timeout-ms=soon"))
        .hasMessage("event-bus.request-timeout-ms: expected a whole number, was 'soon'");
  }

  @Test
  @DisplayName("An unknown service, a bad Redis URL and a missing file are refused by name")
  void otherBadValues() {
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "services.painter.port=9000"))
        .hasMessageContaining("services.painter")
        .hasMessageContaining("unknown service 'painter'");
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "redis.url=http://localhost:6379"))
        .hasMessage("redis.url: must start with redis:// or rediss://, was http://localhost:6379");
    assertThatThrownBy(() -> load(Optional.of(dir.resolve("missing.yaml")), Map.of()))
        .hasMessageContaining("missing.yaml does not exist");
  }

  @Test
  @DisplayName("A file that is not YAML is refused, naming the file")
  void brokenFile() throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "http: [unclosed\n");
    assertThatThrownBy(() -> load(Optional.of(file), Map.of()))
        .hasMessageContaining("broken.yaml is not valid YAML");
  }

  @Test
  @DisplayName("Model roots and the diffusion section have defaults, take lists and name bad keys")
  void modelsAndDiffusion() {
    ImajinConfig defaults = ConfigLoader.defaultConfig();
    assertThat(defaults.models().roots()).containsExactly("models");
    assertThat(defaults.diffusion().defaultModel()).isEmpty();
    assertThat(defaults.diffusion().maxImagesPerRequest()).isEqualTo(10);
    ImajinConfig set =
        load(
            Optional.empty(),
            Map.of("IMAJIN_DIFFUSION__MAX_QUEUED", "3"),
            "models.roots=[/srv/models, more]",
            "diffusion.default-model=sd15-optimum");
    assertThat(set.models().paths()).containsExactly(Path.of("/srv/models"), Path.of("more"));
    assertThat(set.diffusion().maxQueued()).isEqualTo(3);
    assertThat(set.diffusion().defaultModel()).isEqualTo("sd15-optimum");
    assertThatThrownBy(
            () -> load(Optional.empty(), Map.of(), "diffusion.max-images-per-request=11"))
        .hasMessage("diffusion.max-images-per-request: must be between 1 and 10, was 11");
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "diffusion.max-queued=0"))
        .hasMessage("diffusion.max-queued: must be between 1 and 100000, was 0");
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "diffusion.default-model=../x"))
        .hasMessageStartingWith("diffusion.default-model: must be empty or a model id");
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "models.roots=[a, '']"))
        .hasMessage("models.roots[1]: must not be empty");
  }

  @Test
  @DisplayName("The semantic section has defaults and names bad keys")
  void semantic() {
    ImajinConfig defaults = ConfigLoader.defaultConfig();
    assertThat(defaults.semantic().defaultModel()).isEqualTo("starter/semantic");
    assertThat(defaults.semantic().maxQueued()).isEqualTo(64);
    ImajinConfig set =
        load(
            Optional.empty(),
            Map.of("IMAJIN_SEMANTIC__DEFAULT_MODEL", "siglip-base"),
            "semantic.max-input-pixels=65536");
    assertThat(set.semantic().defaultModel()).isEqualTo("siglip-base");
    assertThat(set.semantic().maxInputPixels()).isEqualTo(65536);
    assertThat(load(Optional.empty(), Map.of(), "semantic.default-model=''").semantic())
        .satisfies(s -> assertThat(s.defaultModel()).isEmpty());
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "semantic.default-model=/x"))
        .hasMessageStartingWith("semantic.default-model: must be empty or a model id");
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "semantic.max-queued=0"))
        .hasMessage("semantic.max-queued: must be between 1 and 100000, was 0");
  }

  @Test
  @DisplayName("The aesthetic section has defaults and names bad keys")
  void aesthetic() {
    ImajinConfig defaults = ConfigLoader.defaultConfig();
    assertThat(defaults.aesthetic().rewardModel()).isEqualTo("starter/reward");
    assertThat(defaults.aesthetic().maxQueued()).isEqualTo(64);
    assertThat(defaults.aesthetic().maxInputPixels()).isEqualTo(33554432);
    ImajinConfig set =
        load(
            Optional.empty(),
            Map.of("IMAJIN_AESTHETIC__REWARD_MODEL", "image-reward-v1"),
            "aesthetic.load-wait-ms=5000");
    assertThat(set.aesthetic().rewardModel()).isEqualTo("image-reward-v1");
    assertThat(set.aesthetic().loadWaitMs()).isEqualTo(5000);
    assertThat(load(Optional.empty(), Map.of(), "aesthetic.reward-model=''").aesthetic())
        .satisfies(a -> assertThat(a.rewardModel()).isEmpty());
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "aesthetic.reward-model=/x"))
        .hasMessageStartingWith("aesthetic.reward-model: must be empty or a model id");
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "aesthetic.max-input-pixels=10"))
        .hasMessage("aesthetic.max-input-pixels: must be between 4096 and 2147483648, was 10");
  }

  @Test
  @DisplayName("The identity section has defaults and names bad keys")
  void identity() {
    ImajinConfig defaults = ConfigLoader.defaultConfig();
    assertThat(defaults.identity().detectorModel()).isEqualTo("starter/face-detector");
    assertThat(defaults.identity().embedderModel()).isEqualTo("starter/face-embedder");
    assertThat(defaults.identity().matchThreshold()).isZero();
    assertThat(defaults.identity().maxFaces()).isEqualTo(32);
    ImajinConfig set =
        load(
            Optional.empty(),
            Map.of("IMAJIN_IDENTITY__EMBEDDER_MODEL", "buffalo-l/w600k-r50"),
            "identity.match-threshold=0.45");
    assertThat(set.identity().embedderModel()).isEqualTo("buffalo-l/w600k-r50");
    assertThat(set.identity().matchThreshold()).isEqualTo(0.45);
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "identity.match-threshold=1.5"))
        .hasMessageStartingWith("identity.match-threshold: must be between 0 and 1");
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "identity.detector-model=/x"))
        .hasMessageStartingWith("identity.detector-model: must be empty or a model id");
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "identity.max-faces=0"))
        .hasMessage("identity.max-faces: must be between 1 and 1000, was 0");
  }

  @Test
  @DisplayName("The moderator section has defaults and names bad keys")
  void moderator() {
    ImajinConfig defaults = ConfigLoader.defaultConfig();
    assertThat(defaults.moderator().maxInputPixels()).isEqualTo(33554432);
    assertThat(defaults.moderator().maxImportHashes()).isEqualTo(2_000_000);
    assertThat(defaults.moderator().changeLogMaxEntries()).isEqualTo(100_000);
    assertThat(defaults.moderator().syncWaitMs()).isEqualTo(5000);
    ImajinConfig set =
        load(
            Optional.empty(),
            Map.of("IMAJIN_MODERATOR__MAX_IMPORT_HASHES", "10"),
            "moderator.sync-wait-ms=100");
    assertThat(set.moderator().maxImportHashes()).isEqualTo(10);
    assertThat(set.moderator().syncWaitMs()).isEqualTo(100);
    assertThatThrownBy(() -> load(Optional.empty(), Map.of(), "moderator.max-import-hashes=0"))
        .hasMessage("moderator.max-import-hashes: must be between 1 and 100000000, was 0");
  }
}
