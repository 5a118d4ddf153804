package dev.imajin.inference.image;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A resampling filter, named as manifests name it ({@code bilinear}) or by its PIL code as Hugging
 * Face preprocessor configs write it ({@code resample: 3}).
 */
public enum Resample {
  NEAREST(0, 0),
  BILINEAR(2, 1),
  BICUBIC(3, 2);

  private final int pilCode;
  private final double support;

  Resample(int pilCode, double support) {
    this.pilCode = pilCode;
    this.support = support;
  }

  /** The filter's radius at scale 1, in source pixels. */
  double support() {
    return support;
  }

  /** The filter's weight at distance {@code x}: a triangle, or Keys' cubic with a = -0.5. */
  double weight(double x) {
    double d = Math.abs(x);
    return switch (this) {
      case NEAREST -> d < 0.5 ? 1 : 0;
      case BILINEAR -> d < 1 ? 1 - d : 0;
      case BICUBIC -> {
        double a = -0.5;
        if (d < 1) {
          yield ((a + 2) * d - (a + 3)) * d * d + 1;
        }
        yield d < 2 ? (((d - 5) * d + 8) * d - 4) * a : 0;
      }
    };
  }

  /** The filter of a name ({@code nearest}, {@code bilinear}, {@code bicubic}), any case. */
  public static Optional<Resample> of(String name) {
    return Arrays.stream(values()).filter(r -> r.name().equalsIgnoreCase(name.trim())).findFirst();
  }

  /** The filter of a PIL code: 0 nearest, 2 bilinear, 3 bicubic. */
  public static Optional<Resample> ofPilCode(int code) {
    return Arrays.stream(values()).filter(r -> r.pilCode == code).findFirst();
  }

  /** The names and codes, for messages. */
  static String known() {
    return Arrays.stream(values())
            .map(r -> r.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "))
        + " (or PIL codes 0, 2, 3)";
  }
}
