package dev.imajin.contracts.processing;

/**
 * Where a box goes: its {@code anchor} point on the image's {@code anchor} point, then moved by the
 * offsets (pixels, right and down).
 */
public record Placement(Anchor anchor, Integer offsetX, Integer offsetY) {}
