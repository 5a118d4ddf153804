package dev.imajin.inference.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.inference.scheduler.SchedulerConfig.BetaSchedule;
import dev.imajin.inference.scheduler.SchedulerConfig.PredictionType;
import dev.imajin.inference.scheduler.SchedulerConfig.TimestepSpacing;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SchedulerConfigTest {

  @Test
  @DisplayName("Keys in the file are used: SD 1.5's betas, offset and set_alpha_to_one")
  void keysPresent() {
    SchedulerConfig config = SchedulerConfig.from(Reference.SD15, SchedulerKind.DDIM);
    assertThat(config.betaSchedule()).isEqualTo(BetaSchedule.SCALED_LINEAR);
    assertThat(config.betaStart()).isEqualTo(0.00085);
    assertThat(config.betaEnd()).isEqualTo(0.012);
    assertThat(config.stepsOffset()).isEqualTo(1);
    assertThat(config.setAlphaToOne()).isFalse();
    assertThat(config.clipSample()).isFalse();
    assertThat(config.predictionType()).isEqualTo(PredictionType.EPSILON);
  }

  @Test
  @DisplayName(
      "Without timestep_spacing, Euler, Euler ancestral and DPM use linspace; DDIM, LCM leading")
  void spacingDefaults() {
    assertThat(spacing(SchedulerKind.EULER)).isEqualTo(TimestepSpacing.LINSPACE);
    assertThat(spacing(SchedulerKind.EULER_ANCESTRAL)).isEqualTo(TimestepSpacing.LINSPACE);
    assertThat(spacing(SchedulerKind.DPMPP_2M)).isEqualTo(TimestepSpacing.LINSPACE);
    assertThat(spacing(SchedulerKind.DDIM)).isEqualTo(TimestepSpacing.LEADING);
    assertThat(spacing(SchedulerKind.LCM)).isEqualTo(TimestepSpacing.LEADING);
    Scheduler euler =
        Scheduler.create(
            SchedulerConfig.from(Reference.SD15, SchedulerKind.EULER),
            SchedulerKind.EULER,
            20,
            new GaussianNoise(0));
    Scheduler ddim =
        Scheduler.create(
            SchedulerConfig.from(Reference.SD15, SchedulerKind.DDIM),
            SchedulerKind.DDIM,
            20,
            new GaussianNoise(0));
    assertThat(euler.timesteps()[0]).isEqualTo(999f);
    assertThat(ddim.timesteps()[0]).isEqualTo(951f);
  }

  @Test
  @DisplayName("Without betas, every class gets linear 0.0001→0.02 except LCM (scaled_linear)")
  void betaDefaults() {
    for (SchedulerKind kind : SchedulerKind.values()) {
      SchedulerConfig config = SchedulerConfig.from(new JsonObject(), kind);
      if (kind == SchedulerKind.LCM) {
        assertThat(config.betaSchedule()).isEqualTo(BetaSchedule.SCALED_LINEAR);
        assertThat(config.betaStart()).isEqualTo(0.00085);
        assertThat(config.betaEnd()).isEqualTo(0.012);
      } else {
        assertThat(config.betaSchedule()).as(kind.name()).isEqualTo(BetaSchedule.LINEAR);
        assertThat(config.betaStart()).isEqualTo(0.0001);
        assertThat(config.betaEnd()).isEqualTo(0.02);
      }
      assertThat(config.stepsOffset()).isZero();
      assertThat(config.numTrainTimesteps()).isEqualTo(1000);
    }
    assertThat(SchedulerConfig.from(new JsonObject(), SchedulerKind.DDIM).clipSample()).isTrue();
    assertThat(SchedulerConfig.from(new JsonObject(), SchedulerKind.LCM).clipSample()).isFalse();
  }

  @Test
  @DisplayName("Settings that change the algorithm beyond what we run are refused, naming the key")
  void unsupported() {
    JsonObject karras = Reference.SDXL.copy().put("use_karras_sigmas", true);
    assertThatThrownBy(() -> SchedulerConfig.from(karras, SchedulerKind.EULER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EulerDiscreteScheduler")
        .hasMessageContaining("use_karras_sigmas");
    assertThat(SchedulerConfig.from(karras, SchedulerKind.DDIM).timestepSpacing())
        .as("DDIM has no such setting, as in diffusers")
        .isEqualTo(TimestepSpacing.LEADING);
    assertThatThrownBy(
            () ->
                SchedulerConfig.from(
                    new JsonObject().put("algorithm_type", "sde-dpmsolver++"),
                    SchedulerKind.DPMPP_2M))
        .hasMessageContaining("algorithm_type");
    assertThatThrownBy(
            () ->
                SchedulerConfig.from(
                    new JsonObject().put("solver_order", 3), SchedulerKind.DPMPP_2M))
        .hasMessageContaining("solver_order 3");
    assertThatThrownBy(
            () ->
                SchedulerConfig.from(
                    new JsonObject().put("trained_betas", new io.vertx.core.json.JsonArray()),
                    SchedulerKind.LCM))
        .hasMessageContaining("trained_betas");
  }

  @Test
  @DisplayName("A malformed value names the key and what it accepts")
  void malformed() {
    assertThatThrownBy(
            () ->
                SchedulerConfig.from(
                    new JsonObject().put("timestep_spacing", "sideways"), SchedulerKind.EULER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timestep_spacing must be one of [linspace, leading, trailing]")
        .hasMessageContaining("sideways");
    assertThatThrownBy(
            () ->
                SchedulerConfig.from(
                    new JsonObject().put("steps_offset", "1"), SchedulerKind.EULER))
        .hasMessageContaining("steps_offset must be an integer");
    assertThatThrownBy(
            () -> SchedulerConfig.from(new JsonObject().put("beta_start", 0), SchedulerKind.EULER))
        .hasMessageContaining("beta_start");
  }

  @Test
  @DisplayName("diffusers' bare -Infinity for lambda_min_clipped parses and reads as a number")
  void infinity() {
    JsonObject json =
        SchedulerConfig.parseJson(
            """
            {"_class_name": "DPMSolverMultistepScheduler", "lambda_min_clipped": -Infinity,
             "note": "a \\"quoted\\" -Infinity NaN stays", "variance_type": null}
            """);
    assertThat(json.getString("note")).isEqualTo("a \"quoted\" -Infinity NaN stays");
    assertThat(SchedulerConfig.from(json, SchedulerKind.DPMPP_2M).lambdaMinClipped())
        .isEqualTo(Double.NEGATIVE_INFINITY);
    SchedulerConfig clipped =
        SchedulerConfig.from(
            new JsonObject().put("lambda_min_clipped", -3.0), SchedulerKind.DPMPP_2M);
    Scheduler dpm = Scheduler.create(clipped, SchedulerKind.DPMPP_2M, 10, new GaussianNoise(0));
    assertThat(dpm.timesteps())
        .as("λ below −3 cuts the noisiest timesteps")
        .startsWith(768f, 691f)
        .endsWith(77f);
  }

  @Test
  @DisplayName("The kind comes from _class_name; PNDM and unknown classes are refused clearly")
  void kinds() {
    assertThat(SchedulerKind.fromConfig(Reference.SDXL)).isEqualTo(SchedulerKind.EULER);
    assertThat(SchedulerKind.fromConfig(Reference.LCM_DREAMSHAPER)).isEqualTo(SchedulerKind.LCM);
    for (SchedulerKind kind : SchedulerKind.values()) {
      assertThat(SchedulerKind.fromClassName(kind.className())).isEqualTo(kind);
    }
    assertThatThrownBy(() -> SchedulerKind.fromConfig(Reference.SD15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PNDMScheduler is not supported")
        .hasMessageContaining(
            "EulerDiscreteScheduler, EulerAncestralDiscreteScheduler, DDIMScheduler,"
                + " DPMSolverMultistepScheduler, LCMScheduler");
    assertThatThrownBy(() -> SchedulerKind.fromClassName("HeunDiscreteScheduler"))
        .hasMessageStartingWith("scheduler class HeunDiscreteScheduler is not supported");
    assertThatThrownBy(() -> SchedulerKind.fromConfig(new JsonObject()))
        .hasMessageContaining("no _class_name");
  }

  @Test
  @DisplayName("Every scheduler of the contracts has a kind")
  void contractNames() {
    for (dev.imajin.contracts.common.Scheduler api :
        dev.imajin.contracts.common.Scheduler.values()) {
      assertThat(SchedulerKind.of(api).name()).startsWith(api.name().substring(0, 3));
    }
    assertThat(SchedulerKind.of(dev.imajin.contracts.common.Scheduler.EULER_A))
        .isEqualTo(SchedulerKind.EULER_ANCESTRAL);
  }

  @Test
  @DisplayName("Steps and strength out of range are refused")
  void createArguments() {
    SchedulerConfig config = SchedulerConfig.from(Reference.SDXL, SchedulerKind.EULER);
    Noise noise = new GaussianNoise(0);
    assertThatThrownBy(() -> Scheduler.create(config, SchedulerKind.EULER, 0, noise))
        .hasMessageContaining("steps must lie in [1, 1000]");
    assertThatThrownBy(() -> Scheduler.create(config, SchedulerKind.EULER, 4, 1.5, noise))
        .hasMessageContaining("strength");
    assertThatThrownBy(() -> Scheduler.create(config, SchedulerKind.EULER, 4, 0.2, noise))
        .hasMessageContaining("steps × strength must be at least 1");
    assertThat(Scheduler.create(config, SchedulerKind.EULER, 4, 0.25, noise).startIndex())
        .isEqualTo(3);
  }

  private static TimestepSpacing spacing(SchedulerKind kind) {
    return SchedulerConfig.from(Reference.SD15, kind).timestepSpacing();
  }
}
