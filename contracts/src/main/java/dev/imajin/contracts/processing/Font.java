package dev.imajin.contracts.processing;

/** A font: family, size in pixels and style. */
public record Font(String family, Integer size, Boolean bold, Boolean italic) {

  public static final String DEFAULT_FAMILY = "sans-serif";
  public static final int DEFAULT_SIZE = 32;
}
