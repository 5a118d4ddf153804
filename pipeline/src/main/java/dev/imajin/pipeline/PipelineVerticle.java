package dev.imajin.pipeline;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import java.util.EnumSet;
import java.util.Set;

/**
 * The pipeline orchestrator service on its contract ({@code contracts/.../openapi/pipeline.yaml}).
 * No operation is built yet but {@code info}: the others answer 501 with a problem over HTTP and
 * the event bus.
 */
public final class PipelineVerticle extends ServiceVerticle {
  public PipelineVerticle(ServiceContext context) {
    super(ServiceId.PIPELINE, context);
  }

  @Override
  protected Set<ServiceId> downstreams() {
    return EnumSet.of(
        ServiceId.PROMPT,
        ServiceId.DIFFUSION,
        ServiceId.PROCESSING,
        ServiceId.MODERATOR,
        ServiceId.SEMANTIC,
        ServiceId.AESTHETIC,
        ServiceId.IDENTITY);
  }
}
