package dev.imajin.gpuboss;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The GPU lease broker service on its contract ({@code contracts/.../openapi/gpu-boss.yaml}). No
 * operation is built yet but {@code info}: the others answer 501 with a problem over HTTP and the
 * event bus.
 */
public final class GpuBossVerticle extends ServiceVerticle {
  public GpuBossVerticle(ServiceContext context) {
    super(ServiceId.GPU_BOSS, context);
  }
}
