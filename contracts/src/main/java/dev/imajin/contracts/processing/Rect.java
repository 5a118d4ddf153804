package dev.imajin.contracts.processing;

/** A rectangle in image pixels; {@code x} and {@code y} are its top-left corner. */
public record Rect(int x, int y, int width, int height) {}
