package dev.imajin.contracts.aesthetic;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** One image and the prompt it was generated for. */
public record ScoreRequest(String prompt, ImageData image, String model) implements BusMessage {}
