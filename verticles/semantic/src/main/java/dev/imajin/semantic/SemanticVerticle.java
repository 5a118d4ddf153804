package dev.imajin.semantic;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The semantic validation service on its contract ({@code contracts/.../openapi/semantic.yaml}). No
 * operation is built yet but {@code info}: the others answer 501 with a problem over HTTP and the
 * event bus.
 */
public final class SemanticVerticle extends ServiceVerticle {
  public SemanticVerticle(ServiceContext context) {
    super(ServiceId.SEMANTIC, context);
  }
}
