package dev.imajin.promptgenerator;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The prompt generation service on its contract ({@code
 * contracts/.../openapi/prompt-generator.yaml}). No operation is built yet but {@code info}: the
 * others answer 501 with a problem over HTTP and the event bus.
 */
public final class PromptGeneratorVerticle extends ServiceVerticle {
  public PromptGeneratorVerticle(ServiceContext context) {
    super(ServiceId.PROMPT_GENERATOR, context);
  }
}
