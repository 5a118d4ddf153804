package dev.imajin.inference.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imajin.inference.diffusion.DiffusionRequest.Mode;
import dev.imajin.inference.model.ModelEntry;
import dev.imajin.inference.model.ModelFamilies;
import dev.imajin.inference.scheduler.SchedulerKind;
import dev.imajin.inference.testing.SdVariant;
import dev.imajin.inference.testing.SdVariant.Family;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Diffusion pipeline: defaults per model family")
class DiffusionDefaultsTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({
    "SD15, stable-diffusion-1, 512, 30, 7.5, DPMPP_2M",
    "SD21, stable-diffusion-2, 768, 30, 7.5, DDIM",
    "SDXL, stable-diffusion-xl, 1024, 30, 5.0, EULER",
    "LCM, lcm, 768, 4, 8.5, LCM",
    "SD_TURBO, sd-turbo, 512, 1, 0.0, EULER",
    "SDXL_TURBO, sd-turbo, 512, 1, 0.0, EULER_ANCESTRAL"
  })
  @DisplayName(
      "Native size is sample_size × 8; steps, guidance and scheduler follow the family (PNDM"
          + " becomes DPM++ 2M)")
  void defaults(
      Family family,
      String familyName,
      int size,
      int steps,
      float guidance,
      SchedulerKind scheduler)
      throws Exception {
    try (SdFixture f = SdFixture.open(dir, SdVariant.optimum1_24(family))) {
      ModelEntry entry = f.entry;
      ModelEntry as =
          new ModelEntry(
              entry.id(),
              entry.task(),
              familyName,
              entry.folder(),
              entry.source(),
              entry.manifest(),
              entry.tokenizer(),
              entry.files(),
              entry.memoryBytes(),
              entry.warnings());
      DiffusionDefaults d = f.pipeline(as, UnetWatch.NONE).defaults();

      assertThat(d.width()).isEqualTo(size);
      assertThat(d.height()).isEqualTo(size);
      assertThat(d.steps()).isEqualTo(steps);
      assertThat(d.guidance()).isEqualTo(guidance);
      assertThat(d.scheduler()).isEqualTo(scheduler);
      assertThat(d.modes()).containsExactlyInAnyOrder(Mode.values());
      if (!familyName.equals(ModelFamilies.SD_TURBO)) {
        assertThat(f.entry.family()).isEqualTo(familyName);
      }
    }
  }
}
