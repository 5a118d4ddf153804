package dev.imajin.contracts.common;

/** An image produced by a service, with its dimensions and encoded size. */
public record ImageResult(String b64, MediaType mediaType, int width, int height, long bytes) {}
