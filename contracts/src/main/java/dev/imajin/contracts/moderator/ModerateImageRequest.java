package dev.imajin.contracts.moderator;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;

/** An image to moderate, with the prompt that produced it and the request's context. */
public record ModerateImageRequest(ImageData image, String prompt, RequestContext context)
    implements BusMessage {}
