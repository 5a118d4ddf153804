package dev.imajin.contracts.processing;

/** A stroke around drawn text. */
public record TextOutline(String color, Integer width) {

  public static final String DEFAULT_COLOR = "#000000";
  public static final int DEFAULT_WIDTH = 2;
}
