package dev.imajin.contracts.moderator;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Moderation categories: the thirteen categories of the OpenAI moderation taxonomy, under the same
 * names, plus {@code privacy/likeness} for a protected person's face.
 */
public enum ModerationCategory {
  @JsonProperty("harassment")
  HARASSMENT,
  @JsonProperty("harassment/threatening")
  HARASSMENT_THREATENING,
  @JsonProperty("hate")
  HATE,
  @JsonProperty("hate/threatening")
  HATE_THREATENING,
  @JsonProperty("illicit")
  ILLICIT,
  @JsonProperty("illicit/violent")
  ILLICIT_VIOLENT,
  @JsonProperty("self-harm")
  SELF_HARM,
  @JsonProperty("self-harm/intent")
  SELF_HARM_INTENT,
  @JsonProperty("self-harm/instructions")
  SELF_HARM_INSTRUCTIONS,
  @JsonProperty("sexual")
  SEXUAL,
  @JsonProperty("sexual/minors")
  SEXUAL_MINORS,
  @JsonProperty("violence")
  VIOLENCE,
  @JsonProperty("violence/graphic")
  VIOLENCE_GRAPHIC,
  @JsonProperty("privacy/likeness")
  PRIVACY_LIKENESS
}
