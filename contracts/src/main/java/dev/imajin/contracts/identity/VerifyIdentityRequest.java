package dev.imajin.contracts.identity;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** An image to compare with one identity; the configured threshold applies when none is given. */
public record VerifyIdentityRequest(ImageData image, Double threshold) implements BusMessage {}
