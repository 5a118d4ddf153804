package dev.imajin.contracts.moderator;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One detected face, with what the age and identity layers found about it. */
public record FaceFinding(
    FaceBox box,
    double detectionScore,
    String ageRange,
    Double minorScore,
    String identityId,
    Consent consent,
    Boolean ownerMatches,
    Double similarity) {

  /** The consent kind of the identity the face matched. */
  public enum Consent {
    @JsonProperty("protected")
    PROTECTED,
    @JsonProperty("consented")
    CONSENTED
  }
}
