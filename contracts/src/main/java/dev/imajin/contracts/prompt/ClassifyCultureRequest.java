package dev.imajin.contracts.prompt;

import dev.imajin.contracts.BusMessage;

/** A text to classify by cultural context, and how many labels to return. */
public record ClassifyCultureRequest(String text, Integer topK) implements BusMessage {

  public static final int DEFAULT_TOP_K = 3;
}
