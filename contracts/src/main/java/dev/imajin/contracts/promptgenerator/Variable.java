package dev.imajin.contracts.promptgenerator;

/** A named value for a prompt template, for example {@code colour} = {@code red}. */
public record Variable(String name, String value) {}
