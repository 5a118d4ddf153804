package dev.imajin.contracts.common;

public record ModelRef(String id, String task, String family, String device, String sha256) {}
