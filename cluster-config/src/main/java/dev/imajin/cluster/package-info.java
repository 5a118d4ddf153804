/**
 * Hazelcast cluster configuration for imajin: the shipped {@code imajin-cluster.xml}, typed {@link
 * dev.imajin.cluster.ClusterSettings}, and {@link dev.imajin.cluster.ImajinCluster} to start a
 * clustered Vert.x from them.
 */
package dev.imajin.cluster;
