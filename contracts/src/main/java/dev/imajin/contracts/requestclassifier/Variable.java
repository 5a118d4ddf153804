package dev.imajin.contracts.requestclassifier;

/** A named value for a prompt template, for example {@code colour} = {@code red}. */
public record Variable(String name, String value) {}
