package dev.imajin.contracts.diffusion;

/** One file of a model: its component name, path, size and sha256 once hashed. */
public record ModelComponent(String name, String file, Long bytes, String sha256) {}
