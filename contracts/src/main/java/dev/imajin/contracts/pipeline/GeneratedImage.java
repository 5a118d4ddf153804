package dev.imajin.contracts.pipeline;

/** One generated image: inline ({@code b64_json}) or by {@code url}, with the seed that made it. */
public record GeneratedImage(String b64Json, String url, String revisedPrompt, Long seed) {}
