package dev.imajin.moderator.layers;

import dev.imajin.contracts.common.ImageData;
import dev.imajin.contracts.moderator.RequestContext;
import dev.imajin.moderator.pdq.Pdq;
import java.awt.image.BufferedImage;

/**
 * What every layer of one moderation request sees: the image as sent and as decoded (once, for all
 * layers), its PDQ hash, the prompt and who asks. For a prompt alone, the image fields are null.
 *
 * @param requestId the request's correlation id, passed on to the services the layers call
 */
public record ModerationInput(
    ImageData image,
    BufferedImage decoded,
    Pdq.Result pdq,
    String prompt,
    RequestContext context,
    String requestId) {
  public boolean hasImage() {
    return decoded != null;
  }

  /** The user the request is for, or null. */
  public String user() {
    return context == null ? null : context.user();
  }
}
