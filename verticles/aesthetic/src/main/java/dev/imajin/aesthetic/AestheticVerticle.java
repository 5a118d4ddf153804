package dev.imajin.aesthetic;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The aesthetic scoring service on its contract ({@code contracts/.../openapi/aesthetic.yaml}). No
 * operation is built yet but {@code info}: the others answer 501 with a problem over HTTP and the
 * event bus.
 */
public final class AestheticVerticle extends ServiceVerticle {
  public AestheticVerticle(ServiceContext context) {
    super(ServiceId.AESTHETIC, context);
  }
}
