package dev.imajin.contracts.identity;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.ImageData;
import java.util.List;

/** More face images for an identity; the largest face of each is enrolled. */
public record AddFacesRequest(List<ImageData> images) implements BusMessage {

  public AddFacesRequest {
    images = List.copyOf(images);
  }
}
