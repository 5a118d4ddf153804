package dev.imajin.contracts.processing;

/** A drop shadow behind drawn text. */
public record TextShadow(String color, Integer offsetX, Integer offsetY, Integer blur) {

  public static final String DEFAULT_COLOR = "#00000099";
}
