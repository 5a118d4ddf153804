package dev.imajin.contracts.moderator;

/** The PDQ hash of one dihedral variant of an image. */
public record PdqVariant(DihedralVariant variant, String hash) {}
