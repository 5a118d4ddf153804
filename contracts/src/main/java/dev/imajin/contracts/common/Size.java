package dev.imajin.contracts.common;

public record Size(int width, int height) {}
