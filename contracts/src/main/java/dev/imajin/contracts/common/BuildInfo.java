package dev.imajin.contracts.common;

public record BuildInfo(String version, String commit, String java, String vertx) {}
