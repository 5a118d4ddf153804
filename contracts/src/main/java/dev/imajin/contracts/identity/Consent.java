package dev.imajin.contracts.identity;

import java.time.Instant;

/** Why an identity is enrolled and who may generate it; {@code evidence} is a note, not a file. */
public record Consent(ConsentKind kind, String owner, Instant grantedAt, String evidence) {}
