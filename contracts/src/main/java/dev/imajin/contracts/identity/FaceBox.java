package dev.imajin.contracts.identity;

/** A face's box in image pixels, origin top left. */
public record FaceBox(int x, int y, int width, int height) {}
