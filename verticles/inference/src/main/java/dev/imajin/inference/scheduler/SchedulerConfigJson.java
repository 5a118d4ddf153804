package dev.imajin.inference.scheduler;

import static dev.imajin.inference.scheduler.SchedulerKind.DDIM;
import static dev.imajin.inference.scheduler.SchedulerKind.DPMPP_2M;
import static dev.imajin.inference.scheduler.SchedulerKind.EULER;
import static dev.imajin.inference.scheduler.SchedulerKind.LCM;

import dev.imajin.inference.scheduler.SchedulerConfig.BetaSchedule;
import dev.imajin.inference.scheduler.SchedulerConfig.FinalSigmas;
import dev.imajin.inference.scheduler.SchedulerConfig.PredictionType;
import dev.imajin.inference.scheduler.SchedulerConfig.SolverType;
import dev.imajin.inference.scheduler.SchedulerConfig.TimestepSpacing;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code scheduler_config.json} over the class defaults of a kind. */
final class SchedulerConfigJson {
  private static final Set<SchedulerKind> ALL = EnumSet.allOf(SchedulerKind.class);

  /** Flags that must be false (or absent) for the kinds whose diffusers class reads them. */
  private static final Map<String, Set<SchedulerKind>> FLAGS_WE_DO_NOT_RUN =
      Map.of(
          "use_karras_sigmas", EnumSet.of(EULER, DPMPP_2M),
          "use_exponential_sigmas", EnumSet.of(EULER, DPMPP_2M),
          "use_beta_sigmas", EnumSet.of(EULER, DPMPP_2M),
          "use_lu_lambdas", EnumSet.of(DPMPP_2M),
          "use_flow_sigmas", EnumSet.of(DPMPP_2M),
          "thresholding", EnumSet.of(DDIM, DPMPP_2M, LCM),
          "rescale_betas_zero_snr", ALL);

  /**
   * String settings whose only supported value is the class default, for the kinds reading them.
   */
  private static final Map<String, OnlyValue> ONLY_VALUES =
      Map.of(
          "interpolation_type", new OnlyValue("linear", EnumSet.of(EULER)),
          "timestep_type", new OnlyValue("discrete", EnumSet.of(EULER)),
          "algorithm_type", new OnlyValue("dpmsolver++", EnumSet.of(DPMPP_2M)));

  private record OnlyValue(String value, Set<SchedulerKind> kinds) {}

  private SchedulerConfigJson() {}

  static SchedulerConfig read(JsonObject json, SchedulerKind kind) {
    refuseWhatWeDoNotRun(json, kind);
    SchedulerConfig d = SchedulerConfig.defaults(kind);
    return new SchedulerConfig(
        integer(json, "num_train_timesteps", d.numTrainTimesteps()),
        number(json, "beta_start", d.betaStart()),
        number(json, "beta_end", d.betaEnd()),
        choice(json, "beta_schedule", BetaSchedule.class, d.betaSchedule()),
        choice(json, "prediction_type", PredictionType.class, d.predictionType()),
        choice(json, "timestep_spacing", TimestepSpacing.class, d.timestepSpacing()),
        integer(json, "steps_offset", d.stepsOffset()),
        flag(json, "set_alpha_to_one", d.setAlphaToOne()),
        flag(json, "clip_sample", d.clipSample()),
        number(json, "clip_sample_range", d.clipSampleRange()),
        integer(json, "original_inference_steps", d.originalInferenceSteps()),
        number(json, "timestep_scaling", d.timestepScaling()),
        integer(json, "solver_order", d.solverOrder()),
        choice(json, "solver_type", SolverType.class, d.solverType()),
        flag(json, "lower_order_final", d.lowerOrderFinal()),
        flag(json, "euler_at_final", d.eulerAtFinal()),
        choice(json, "final_sigmas_type", FinalSigmas.class, d.finalSigmas()),
        number(json, "lambda_min_clipped", d.lambdaMinClipped()),
        d.eta());
  }

  private static void refuseWhatWeDoNotRun(JsonObject json, SchedulerKind kind) {
    FLAGS_WE_DO_NOT_RUN.forEach(
        (key, kinds) -> {
          if (kinds.contains(kind) && flag(json, key, false)) {
            throw unsupported(kind, key + " = true");
          }
        });
    ONLY_VALUES.forEach(
        (key, only) -> {
          Object v = json.getValue(key);
          if (v != null && only.kinds().contains(kind) && !only.value().equals(v)) {
            throw unsupported(kind, key + " = " + v + " (only " + only.value() + ")");
          }
        });
    if (json.getValue("trained_betas") != null) {
      throw unsupported(kind, "trained_betas");
    }
    Object variance = json.getValue("variance_type");
    if (kind == DPMPP_2M && variance instanceof String v && v.startsWith("learned")) {
      throw unsupported(kind, "variance_type = " + v);
    }
  }

  /** Quotes the bare NaN, Infinity and -Infinity tokens that Python's json writes. */
  static String quoteNonFinite(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          out.append(text.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      String token = nonFiniteAt(text, i);
      if (token != null) {
        out.append('"').append(token).append('"');
        i += token.length() - 1;
      } else {
        inString = c == '"';
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String nonFiniteAt(String text, int at) {
    for (String token : new String[] {"-Infinity", "Infinity", "NaN"}) {
      if (text.startsWith(token, at)) {
        return token;
      }
    }
    return null;
  }

  private static int integer(JsonObject json, String key, int fallback) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.intValue();
    }
    throw malformed(key, v, "an integer");
  }

  private static double number(JsonObject json, String key, double fallback) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      switch (s) {
        case "Infinity", "inf":
          return Double.POSITIVE_INFINITY;
        case "-Infinity", "-inf":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw malformed(key, v, "a number");
  }

  private static boolean flag(JsonObject json, String key, boolean fallback) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw malformed(key, v, "true or false");
  }

  private static <E extends Enum<E>> E choice(
      JsonObject json, String key, Class<E> type, E fallback) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
        return e;
      }
    }
    throw malformed(
        key,
        v,
        "one of "
            + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .toList());
  }

  private static IllegalArgumentException malformed(String key, Object value, String expected) {
    return new IllegalArgumentException(
        "scheduler config: " + key + " must be " + expected + ", was " + value);
  }

  private static IllegalArgumentException unsupported(SchedulerKind kind, String what) {
    return new IllegalArgumentException(
        "scheduler config: " + kind.className() + " with " + what + " is not supported");
  }
}
