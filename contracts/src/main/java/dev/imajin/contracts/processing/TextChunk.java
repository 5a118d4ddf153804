package dev.imajin.contracts.processing;

/** A PNG text chunk: keyword and text, optionally compressed. */
public record TextChunk(String keyword, String text, Boolean compressed) {}
