package dev.imajin.contracts.common;

/** One operation of a contract, where it is reachable, and whether this node has built it. */
public record OperationStatus(
    String operationId, String method, String path, String address, boolean built) {}
