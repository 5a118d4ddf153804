package dev.imajin.launcher;

import dev.imajin.aesthetic.AestheticVerticle;
import dev.imajin.contracts.ServiceId;
import dev.imajin.diffusion.DiffusionVerticle;
import dev.imajin.gpuboss.GpuBossVerticle;
import dev.imajin.identity.IdentityVerticle;
import dev.imajin.moderator.ModeratorVerticle;
import dev.imajin.pipeline.PipelineVerticle;
import dev.imajin.processing.ProcessingVerticle;
import dev.imajin.prompt.PromptVerticle;
import dev.imajin.promptgenerator.PromptGeneratorVerticle;
import dev.imajin.proxy.ProxyVerticle;
import dev.imajin.requestclassifier.RequestClassifierVerticle;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;
import dev.imajin.semantic.SemanticVerticle;

/** The verticle of each service. */
final class ServiceCatalog {
  private ServiceCatalog() {}

  static ServiceVerticle create(ServiceId id, ServiceContext context) {
    return switch (id) {
      case PIPELINE -> new PipelineVerticle(context);
      case PROXY -> new ProxyVerticle(context);
      case DIFFUSION -> new DiffusionVerticle(context);
      case PROMPT -> new PromptVerticle(context);
      case PROCESSING -> new ProcessingVerticle(context);
      case SEMANTIC -> new SemanticVerticle(context);
      case AESTHETIC -> new AestheticVerticle(context);
      case GPU_BOSS -> new GpuBossVerticle(context);
      case MODERATOR -> new ModeratorVerticle(context);
      case IDENTITY -> new IdentityVerticle(context);
      case REQUEST_CLASSIFIER -> new RequestClassifierVerticle(context);
      case PROMPT_GENERATOR -> new PromptGeneratorVerticle(context);
    };
  }
}
