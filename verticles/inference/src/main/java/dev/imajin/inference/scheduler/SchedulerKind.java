package dev.imajin.inference.scheduler;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The schedulers we run, each named by the diffusers class whose behaviour it reproduces. */
public enum SchedulerKind {
  EULER("EulerDiscreteScheduler"),
  EULER_ANCESTRAL("EulerAncestralDiscreteScheduler"),
  DDIM("DDIMScheduler"),
  DPMPP_2M("DPMSolverMultistepScheduler"),
  LCM("LCMScheduler");

  private final String className;

  SchedulerKind(String className) {
    this.className = className;
  }

  /** The diffusers class name, as {@code _class_name} of a {@code scheduler_config.json}. */
  public String className() {
    return className;
  }

  /**
   * The kind of the given diffusers class.
   *
   * @throws IllegalArgumentException naming the class and the supported ones when no kind
   *     reproduces it
   */
  public static SchedulerKind fromClassName(String className) {
    for (SchedulerKind kind : values()) {
      if (kind.className.equals(className)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "scheduler class "
            + className
            + " is not supported; supported: "
            + supported()
            + unsupportedHint(className));
  }

  /**
   * The kind named by {@code _class_name} of a model's {@code scheduler_config.json}. There is no
   * substitute for a class we do not run: {@code PNDMScheduler} (shipped with SD 1.5) fails like
   * any other, and the caller picks a kind explicitly (build it with {@link
   * SchedulerConfig#from(JsonObject, SchedulerKind)} from the same file, as diffusers' {@code
   * from_config} does).
   *
   * @throws IllegalArgumentException when {@code _class_name} is missing or names a class we do not
   *     run
   */
  public static SchedulerKind fromConfig(JsonObject schedulerConfig) {
    Object name = schedulerConfig.getValue("_class_name");
    if (!(name instanceof String className)) {
      throw new IllegalArgumentException(
          "scheduler config has no _class_name; supported: " + supported());
    }
    return fromClassName(className);
  }

  /** The kind the contracts' scheduler names. */
  public static SchedulerKind of(dev.imajin.contracts.common.Scheduler scheduler) {
    return switch (scheduler) {
      case EULER -> EULER;
      case EULER_A -> EULER_ANCESTRAL;
      case DDIM -> DDIM;
      case DPMPP_2M -> DPMPP_2M;
      case LCM -> LCM;
    };
  }

  private static String supported() {
    return Arrays.stream(values()).map(SchedulerKind::className).collect(Collectors.joining(", "));
  }

  private static String unsupportedHint(String className) {
    return "PNDMScheduler".equals(className)
        ? " (PNDM/PLMS is not implemented: choose one of these for the model, e.g. "
            + DPMPP_2M.className
            + ")"
        : "";
  }
}
