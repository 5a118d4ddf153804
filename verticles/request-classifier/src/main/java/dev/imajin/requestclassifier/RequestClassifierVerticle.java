package dev.imajin.requestclassifier;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The request classification service on its contract ({@code
 * contracts/.../openapi/request-classifier.yaml}). No operation is built yet but {@code info}: the
 * others answer 501 with a problem over HTTP and the event bus.
 */
public final class RequestClassifierVerticle extends ServiceVerticle {
  public RequestClassifierVerticle(ServiceContext context) {
    super(ServiceId.REQUEST_CLASSIFIER, context);
  }
}
