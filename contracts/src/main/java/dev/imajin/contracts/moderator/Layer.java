package dev.imajin.contracts.moderator;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The five moderation layers, in the order they are reported. */
public enum Layer {
  @JsonProperty("hash_match")
  HASH_MATCH,
  @JsonProperty("image_classifier")
  IMAGE_CLASSIFIER,
  @JsonProperty("age_estimation")
  AGE_ESTIMATION,
  @JsonProperty("prohibited_content")
  PROHIBITED_CONTENT,
  @JsonProperty("identity_verification")
  IDENTITY_VERIFICATION
}
