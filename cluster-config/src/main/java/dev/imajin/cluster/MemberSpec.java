package dev.imajin.cluster;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * One entry of {@link ClusterSettings#members()}: a host and an optional port range, {@link
 * #NO_PORT} when the entry names none.
 */
record MemberSpec(String host, int firstPort, int lastPort) {

  static final int NO_PORT = 0;
  static final int MAX_PORTS = 100;

  /** Host names, IPv4/IPv6 literals, and Hazelcast's address patterns (10.0.0.*, 10.0.0.1-9). */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%*-]+");

  private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

  static MemberSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid(text, "is blank");
    }
    String entry = text.trim();
    String host;
    String ports;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw invalid(text, "opens '[' without closing it");
      }
      host = entry.substring(1, close);
      String rest = entry.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw invalid(text, "has something other than ':port' after ']'");
      }
      ports = rest.isEmpty() ? null : rest.substring(1);
    } else if (entry.indexOf(':') != entry.lastIndexOf(':')) {
      host = entry;
      ports = null;
    } else {
      int colon = entry.indexOf(':');
      host = colon < 0 ? entry : entry.substring(0, colon);
      ports = colon < 0 ? null : entry.substring(colon + 1);
    }
    if (!HOST.matcher(host).matches()) {
      throw invalid(text, "has no valid host");
    }
    return ports == null ? new MemberSpec(host, NO_PORT, NO_PORT) : withPorts(text, host, ports);
  }

  /** The entries for Hazelcast's TCP-IP member list, one per port, as Hazelcast has no ranges. */
  List<String> hazelcastMembers() {
    if (firstPort == NO_PORT) {
      return List.of(host);
    }
    String address = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return IntStream.rangeClosed(firstPort, lastPort).mapToObj(p -> address + ":" + p).toList();
  }

  private static MemberSpec withPorts(String text, String host, String ports) {
    Matcher m = PORTS.matcher(ports);
    if (!m.matches()) {
      throw invalid(text, "has a port that is not a number or a range first-last");
    }
    int first = Integer.parseInt(m.group(1));
    int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
    if (first < 1 || last > 65535 || first > last) {
      throw invalid(
          text, "has ports outside 1..65535 or a range whose first port is above its last");
    }
    if (last - first + 1 > MAX_PORTS) {
      throw invalid(text, "spans more than " + MAX_PORTS + " ports");
    }
    return new MemberSpec(host, first, last);
  }

  private static IllegalArgumentException invalid(String text, String reason) {
    return new IllegalArgumentException(
        "cluster member '"
            + text
            + "' "
            + reason
            + "; expected host, host:port or host:first-last (for example 127.0.0.1:5701-5710)");
  }
}
