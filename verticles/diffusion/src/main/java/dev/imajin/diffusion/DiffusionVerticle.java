package dev.imajin.diffusion;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The diffusion service on its contract ({@code contracts/.../openapi/diffusion.yaml}). No
 * operation is built yet but {@code info}: the others answer 501 with a problem over HTTP and the
 * event bus.
 */
public final class DiffusionVerticle extends ServiceVerticle {
  public DiffusionVerticle(ServiceContext context) {
    super(ServiceId.DIFFUSION, context);
  }
}
