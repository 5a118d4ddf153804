package dev.imajin.inference.scheduler;

import static dev.imajin.inference.scheduler.Reference.assertPrinted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {
  private static final SchedulerConfig SD =
      SchedulerConfig.from(Reference.SD15, SchedulerKind.EULER);

  @Test
  @DisplayName("scaled_linear betas, alphas_cumprod and sigma match MODELS.md §2.4")
  void scaledLinear() {
    float[] betas = NoiseSchedule.betas(SD);
    assertPrinted(betas[0], "0.00085");
    assertPrinted(betas[999], "0.012");
    NoiseSchedule schedule = NoiseSchedule.of(SD);
    assertThat(schedule.size()).isEqualTo(1000);
    assertPrinted(schedule.alphaCumprod(0), "0.99915");
    assertPrinted(schedule.alphaCumprod(1), "0.998296");
    assertPrinted(schedule.alphaCumprod(499), "0.2776695");
    assertPrinted(schedule.alphaCumprod(759), "0.0522129");
    assertPrinted(schedule.alphaCumprod(999), "0.0046601");
    assertPrinted(schedule.sigma(0), "0.0291675");
    assertPrinted(schedule.sigma(999), "14.614655");
  }

  @Test
  @DisplayName(
      "alphas_cumprod accumulates in float64 and rounds each entry, as torch's CPU cumprod")
  void cumprodInDouble() {
    float[] betas = NoiseSchedule.betas(SD);
    NoiseSchedule schedule = NoiseSchedule.of(SD);
    double product = 1;
    float floatProduct = 1f;
    for (int t = 0; t < betas.length; t++) {
      product *= 1f - betas[t];
      floatProduct *= 1f - betas[t];
      assertThat(schedule.alphaCumprod(t)).isEqualTo((float) product);
    }
    // numpy's float32 cumprod (the §2.4 numbers) ends 1.1e-6 relative away
    assertThat((double) floatProduct / schedule.alphaCumprod(999) - 1).isCloseTo(0, within(2.1e-6));
  }

  @Test
  @DisplayName("Linear betas run from beta_start to beta_end in equal steps")
  void linear() {
    float[] betas = NoiseSchedule.betas(SchedulerConfig.defaults(SchedulerKind.EULER));
    assertThat(betas[0]).isEqualTo(0.0001f);
    assertThat(betas[999]).isEqualTo(0.02f);
    assertThat((double) betas[500] - betas[499]).isCloseTo(0.0199 / 999, within(1e-9));
  }

  @Test
  @DisplayName("squaredcos_cap_v2 betas grow from about 4e-5 and are capped at 0.999")
  void cosine() {
    SchedulerConfig cosine =
        SchedulerConfig.from(
            new io.vertx.core.json.JsonObject().put("beta_schedule", "squaredcos_cap_v2"),
            SchedulerKind.DDIM);
    float[] betas = NoiseSchedule.betas(cosine);
    assertThat(betas[0]).isCloseTo(4.1e-5f, within(0.2e-5f));
    assertThat(betas[999]).isEqualTo(0.999f);
    for (int t = 1; t < betas.length; t++) {
      assertThat(betas[t]).isGreaterThanOrEqualTo(betas[t - 1]);
    }
  }

  @Test
  @DisplayName("Sigma at a fractional timestep interpolates linearly between neighbours")
  void interpolation() {
    NoiseSchedule schedule = NoiseSchedule.of(SD);
    double mid = schedule.sigmaAt(499.25);
    assertThat(mid)
        .isCloseTo(0.75 * schedule.sigma(499) + 0.25 * schedule.sigma(500), within(1e-6));
    assertThat(schedule.sigmaAt(999)).isEqualTo(schedule.sigma(999));
    assertThat(schedule.sigmaAt(0)).isEqualTo(schedule.sigma(0));
  }
}
