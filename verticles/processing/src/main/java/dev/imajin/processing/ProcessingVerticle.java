package dev.imajin.processing;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The image processing service on its contract ({@code contracts/.../openapi/processing.yaml}). No
 * operation is built yet but {@code info}: the others answer 501 with a problem over HTTP and the
 * event bus.
 */
public final class ProcessingVerticle extends ServiceVerticle {
  public ProcessingVerticle(ServiceContext context) {
    super(ServiceId.PROCESSING, context);
  }
}
