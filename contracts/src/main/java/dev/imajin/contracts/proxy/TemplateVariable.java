package dev.imajin.contracts.proxy;

/** A value for one variable of the prompt generator's template. */
public record TemplateVariable(String name, String value) {}
