package dev.imajin.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where this node's cluster member listens and how it finds the others. Immutable; the constructor
 * rejects bad values with an {@link IllegalArgumentException} naming the field.
 *
 * @param host IP address (not a host name, not a wildcard) of the interface that both the Hazelcast
 *     member and the event bus bind to, and that other members reach this node at
 * @param port first Hazelcast member port; the member takes the next free one of the following
 *     ports (10 in the shipped XML) when it is taken
 * @param members where to look for other members, each {@code host}, {@code host:port} or {@code
 *     host:first-last} (at most 100 ports); IPv6 addresses take brackets when a port follows
 *     ({@code [::1]:5701}). A bare {@code host} is probed on {@code port} and the ports after it
 *     ({@code hazelcast.tcp.join.port.try.count}, 10 in the shipped XML).
 * @param clusterName Hazelcast cluster name; members with another name never join this cluster
 */
public record ClusterSettings(String host, int port, List<String> members, String clusterName) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final List<String> DEFAULT_MEMBERS = List.of("127.0.0.1:5701-5710");
  public static final String DEFAULT_CLUSTER_NAME = "imajin";

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  public ClusterSettings {
    requireIpAddress(host);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster port must be 1..65535, got " + port);
    }
    if (members == null || members.isEmpty()) {
      throw new IllegalArgumentException("cluster members must name at least one address");
    }
    members.forEach(MemberSpec::parse);
    members = List.copyOf(members);
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("cluster name must not be blank");
    }
  }

  /** Loopback-only cluster {@code imajin} on 127.0.0.1:5701-5710, as in the shipped XML. */
  public static ClusterSettings defaults() {
    return new ClusterSettings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MEMBERS, DEFAULT_CLUSTER_NAME);
  }

  List<MemberSpec> memberSpecs() {
    return members.stream().map(MemberSpec::parse).toList();
  }

  private static void requireIpAddress(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("cluster host must not be blank");
    }
    InetAddress address = ipLiteral(host);
    if (address == null) {
      throw new IllegalArgumentException(
          "cluster host must be an IP address (Hazelcast binds to interfaces by address), got '"
              + host
              + "'");
    }
    if (address.isAnyLocalAddress()) {
      throw new IllegalArgumentException(
          "cluster host must be the address of one interface that other members can reach, got '"
              + host
              + "'");
    }
  }

  /** The address that {@code host} spells, or null if it is not an IP literal; no DNS lookup. */
  private static InetAddress ipLiteral(String host) {
    String literal;
    if (IPV4.matcher(host).matches()) {
      literal = host;
    } else if (host.indexOf(':') >= 0 && IPV6_CHARS.matcher(host).matches()) {
      literal = "[" + host + "]";
    } else {
      return null;
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
