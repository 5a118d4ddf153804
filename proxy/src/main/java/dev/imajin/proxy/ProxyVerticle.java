package dev.imajin.proxy;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import java.util.EnumSet;
import java.util.Set;

/**
 * The service-proxy orchestrator service on its contract ({@code
 * contracts/.../openapi/proxy.yaml}). No operation is built yet but {@code info}: the others answer
 * 501 with a problem over HTTP and the event bus.
 */
public final class ProxyVerticle extends ServiceVerticle {
  public ProxyVerticle(ServiceContext context) {
    super(ServiceId.PROXY, context);
  }

  @Override
  protected Set<ServiceId> downstreams() {
    return EnumSet.of(
        ServiceId.REQUEST_CLASSIFIER,
        ServiceId.PROMPT_GENERATOR,
        ServiceId.DIFFUSION,
        ServiceId.PROCESSING);
  }
}
