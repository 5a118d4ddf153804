package dev.imajin.contracts.identity;

/** An identity that one face of the query resembles, with its consent kind and owner. */
public record SearchCandidate(
    String identityId, String name, ConsentKind consent, String owner, double similarity) {}
