package dev.imajin.inference.scheduler;

/** The timesteps each diffusers class picks for N inference steps, in descending order. */
final class Timesteps {
  private Timesteps() {}

  /** EulerDiscrete / EulerAncestralDiscrete: float32 values, fractional under {@code linspace}. */
  static float[] euler(SchedulerConfig config, int n) {
    int train = config.numTrainTimesteps();
    float[] out = new float[n];
    switch (config.timestepSpacing()) {
      case LINSPACE -> {
        double[] line = Grids.linspace(0, train - 1, n);
        for (int i = 0; i < n; i++) {
          out[i] = (float) line[n - 1 - i];
        }
      }
      case LEADING, TRAILING -> {
        int[] whole = ddim(config, n);
        for (int i = 0; i < n; i++) {
          out[i] = whole[i];
        }
      }
    }
    return out;
  }

  /** DDIM: like Euler, but linspace values are rounded to integers. */
  static int[] ddim(SchedulerConfig config, int n) {
    int train = config.numTrainTimesteps();
    int[] out = new int[n];
    switch (config.timestepSpacing()) {
      case LINSPACE -> {
        double[] line = Grids.linspace(0, train - 1, n);
        for (int i = 0; i < n; i++) {
          out[i] = (int) Grids.round(line[n - 1 - i]);
        }
      }
      case LEADING -> {
        int ratio = train / n;
        for (int i = 0; i < n; i++) {
          out[i] = (n - 1 - i) * ratio + config.stepsOffset();
        }
      }
      case TRAILING -> trailing(train, train, n, out);
    }
    return out;
  }

  /**
   * DPMSolverMultistep: N+1 points with the last dropped, so {@code leading} uses T//(N+1). {@code
   * lastTimestep} is T unless {@code lambda_min_clipped} cuts the end of the schedule.
   */
  static int[] dpmSolver(SchedulerConfig config, int n, int lastTimestep) {
    int[] out = new int[n];
    switch (config.timestepSpacing()) {
      case LINSPACE -> {
        double[] line = Grids.linspace(0, lastTimestep - 1, n + 1);
        for (int i = 0; i < n; i++) {
          out[i] = (int) Grids.round(line[n - i]);
        }
      }
      case LEADING -> {
        int ratio = lastTimestep / (n + 1);
        for (int i = 0; i < n; i++) {
          out[i] = (n - i) * ratio + config.stepsOffset();
        }
      }
      case TRAILING -> trailing(lastTimestep, config.numTrainTimesteps(), n, out);
    }
    return out;
  }

  /**
   * LCM: the {@code original_inference_steps} "origin" timesteps (k−1, 2k−1, …), cut by {@code
   * strength} for img2img, reversed, then N of them at floor(linspace(0, len, N, endpoint=False)).
   *
   * @throws IllegalArgumentException when N exceeds the origin steps, as diffusers raises
   */
  static int[] lcm(SchedulerConfig config, int n, double strength) {
    int original = config.originalInferenceSteps();
    int k = config.numTrainTimesteps() / original;
    int origins = (int) (original * strength);
    if (n > original || origins / n < 1) {
      throw new IllegalArgumentException(
          "LCM runs at most original_inference_steps × strength = "
              + original
              + " × "
              + strength
              + " steps ("
              + origins
              + "), asked for "
              + n);
    }
    double[] at = Grids.linspaceExclusive(0, origins, n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int index = (int) Math.floor(at[i]);
      out[i] = (origins - index) * k - 1;
    }
    return out;
  }

  /** round(arange(start, 0, −T/N)) − 1. */
  private static void trailing(int start, int train, int n, int[] out) {
    double[] range = Grids.arange(start, 0, -((double) train / n), n);
    if (range.length < n) {
      throw new IllegalArgumentException(
          "trailing spacing yields " + range.length + " timesteps below " + start + ", not " + n);
    }
    for (int i = 0; i < n; i++) {
      out[i] = (int) Grids.round(range[i]) - 1;
    }
  }
}
