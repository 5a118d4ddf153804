package dev.imajin.prompt;

import dev.imajin.contracts.ServiceId;
import dev.imajin.runtime.ServiceContext;
import dev.imajin.runtime.ServiceVerticle;

/**
 * The prompt engineering service on its contract ({@code contracts/.../openapi/prompt.yaml}). No
 * operation is built yet but {@code info}: the others answer 501 with a problem over HTTP and the
 * event bus.
 */
public final class PromptVerticle extends ServiceVerticle {
  public PromptVerticle(ServiceContext context) {
    super(ServiceId.PROMPT, context);
  }
}
