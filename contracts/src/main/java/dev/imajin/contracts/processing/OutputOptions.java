package dev.imajin.contracts.processing;

/** How to encode a result; absent fields keep the input's format and use quality 90. */
public record OutputOptions(ImageFormat format, Integer quality) {

  public static final int DEFAULT_QUALITY = 90;
}
