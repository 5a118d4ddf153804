package dev.imajin.contracts.identity;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;
import java.util.List;

/** A new identity: its name, face images (the largest face of each is enrolled) and consent. */
public record EnrolIdentityRequest(
    String name, String externalRef, List<ImageData> images, Consent consent)
    implements BusMessage {

  public EnrolIdentityRequest {
    images = List.copyOf(images);
  }
}
