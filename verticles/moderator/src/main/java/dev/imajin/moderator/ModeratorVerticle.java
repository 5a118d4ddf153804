package dev.imajin.moderator;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The moderation service on its contract ({@code contracts/.../openapi/moderator.yaml}). No
 * operation is built yet but {@code info}: the others answer 501 with a problem over HTTP and the
 * event bus.
 */
public final class ModeratorVerticle extends ServiceVerticle {
  public ModeratorVerticle(ServiceContext context) {
    super(ServiceId.MODERATOR, context);
  }
}
