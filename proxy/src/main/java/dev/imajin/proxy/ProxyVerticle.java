package dev.imajin.proxy;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The service-proxy orchestrator service on its contract ({@code
 * contracts/.../openapi/proxy.yaml}). No operation is built yet but {@code info}: the others answer
 * 501 with a problem over HTTP and the event bus.
 */
public final class ProxyVerticle extends ServiceVerticle {
  public ProxyVerticle(ServiceContext context) {
    super(ServiceId.PROXY, context);
  }
}
