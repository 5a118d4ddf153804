package dev.imajin.contracts.common;

/** One failed rule of a validation problem: where (a JSON Pointer) and what. */
public record FieldError(String pointer, String detail) {}
