package dev.imajin.contracts.prompt;

import dev.imajin.contracts.BusMessage;

/** A prompt to build a negative prompt for, with the caller's own terms. */
public record NegativePromptRequest(String prompt, String style, String base, Integer maxTerms)
    implements BusMessage {

  public static final int DEFAULT_MAX_TERMS = 24;
}
