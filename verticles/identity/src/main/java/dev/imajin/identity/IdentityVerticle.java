package dev.imajin.identity;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The identity service on its contract ({@code contracts/.../openapi/identity.yaml}). No operation
 * is built yet but {@code info}: the others answer 501 with a problem over HTTP and the event bus.
 */
public final class IdentityVerticle extends ServiceVerticle {
  public IdentityVerticle(ServiceContext context) {
    super(ServiceId.IDENTITY, context);
  }
}
