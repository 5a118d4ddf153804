package dev.imajin.contracts.common;

/** An image carried inline: the encoded file as base64, with an optional media type hint. */
public record ImageData(String b64, MediaType mediaType) {}
